-- How many stories each status holds, kept in the transaction of every write to stories, so that
-- totalCount of a list limited by status alone (the front page: PUBLISHED; the desk's lists) is
-- read from here instead of counting the table. Written by `npm run db:migrate:create`; the
-- triggers and the first counts are hand-written, since Prisma's schema language cannot say them.

-- Waits for writes to stories in flight and holds off new ones until this migration commits, so
-- that every story is counted once: by the first counts below, or by the triggers.
LOCK TABLE "stories" IN SHARE ROW EXCLUSIVE MODE;

-- CreateTable
CREATE TABLE "story_counts" (
    "status" "StoryStatus" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "story_counts_pkey" PRIMARY KEY ("status")
);

-- A count below zero would mean a write the triggers missed: refuse it loudly.
ALTER TABLE "story_counts" ADD CONSTRAINT "story_counts_count_not_negative" CHECK ("count" >= 0);

-- Adds to a status's count, making its row the first time a story holds that status (so a status
-- added to the enum later needs nothing here). The row lock the update takes is held to commit:
-- writers that change the same status's count wait for each other, which keeps the count exact.
-- (An INSERT ... ON CONFLICT alone would check the constraint on the proposed row, delta and all.)
CREATE FUNCTION story_counts_add(p_status "StoryStatus", p_delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE story_counts SET count = count + p_delta WHERE status = p_status;
  IF NOT FOUND THEN
    INSERT INTO story_counts AS c (status, count) VALUES (p_status, p_delta)
    ON CONFLICT (status) DO UPDATE SET count = c.count + EXCLUDED.count;
  END IF;
END
$$;

-- Statement-level with transition tables, as the search triggers are: a statement that writes many
-- stories changes each count once. Counts are changed in status order, so two writers that each
-- move stories between two statuses take the rows' locks in the same order and cannot deadlock.
CREATE FUNCTION stories_count_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR change IN SELECT status, count(*)::integer AS delta FROM added_rows GROUP BY status ORDER BY status LOOP
      PERFORM story_counts_add(change.status, change.delta);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    FOR change IN SELECT status, -count(*)::integer AS delta FROM removed_rows GROUP BY status ORDER BY status LOOP
      PERFORM story_counts_add(change.status, change.delta);
    END LOOP;
  ELSIF TG_OP = 'UPDATE' THEN
    -- A row whose status did not change adds one and takes one away: only moves are left.
    FOR change IN
      SELECT status, sum(delta)::integer AS delta
        FROM (SELECT status, 1 AS delta FROM added_rows UNION ALL SELECT status, -1 FROM removed_rows) moves
       GROUP BY status HAVING sum(delta) <> 0 ORDER BY status
    LOOP
      PERFORM story_counts_add(change.status, change.delta);
    END LOOP;
  ELSE
    DELETE FROM story_counts;
  END IF;
  RETURN NULL;
END
$$;

-- PostgreSQL allows no column list (UPDATE OF status) on a trigger with transition tables; the
-- update trigger sees every update and finds the status moves among them.
CREATE TRIGGER stories_count_after_insert
  AFTER INSERT ON stories REFERENCING NEW TABLE AS added_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stories_count_statuses();
CREATE TRIGGER stories_count_after_update
  AFTER UPDATE ON stories REFERENCING NEW TABLE AS added_rows OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stories_count_statuses();
CREATE TRIGGER stories_count_after_delete
  AFTER DELETE ON stories REFERENCING OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stories_count_statuses();
CREATE TRIGGER stories_count_after_truncate
  AFTER TRUNCATE ON stories
  FOR EACH STATEMENT EXECUTE FUNCTION stories_count_statuses();

-- The first counts, of the stories as they stand under the lock taken at the top.
INSERT INTO story_counts (status, count) SELECT status, count(*) FROM stories GROUP BY status;
