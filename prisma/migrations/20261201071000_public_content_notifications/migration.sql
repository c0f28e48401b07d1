-- Hand-written: Prisma's schema language cannot express triggers. Every committed change the public
-- can see is announced on the channel public_content_changed, naming the published stories it
-- touched, so that each API instance drops its cached public answers (src/response-cache/). The
-- triggers catch every writer: the API, the wire importer, the seed, psql.
--
-- NOTIFY is transactional: PostgreSQL delivers it when the transaction commits and never for one
-- that rolls back, and it folds identical notifications of one transaction into one. Changes the
-- public cannot see (a draft's edits, an unconfirmed attribution) stay silent.

-- The payload is the affected story ids, sorted and comma-separated, or "all" when they would not
-- fit into NOTIFY's payload limit (8000 bytes; about 215 ids).
CREATE FUNCTION notify_public_content_changed(story_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  payload text;
BEGIN
  IF coalesce(cardinality(story_ids), 0) = 0 THEN
    RETURN;
  END IF;
  SELECT string_agg(DISTINCT id::text, ',' ORDER BY id::text) INTO payload FROM unnest(story_ids) AS id;
  IF octet_length(payload) >= 8000 THEN
    payload := 'all';
  END IF;
  PERFORM pg_notify('public_content_changed', payload);
END
$$;

-- Which of these stories the public can read now.
CREATE FUNCTION published_among(story_ids uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT id FROM stories WHERE id = ANY (story_ids) AND status = 'PUBLISHED')
$$;

-- Statement-level with transition tables, like the search triggers: a statement that changes many
-- rows sends one notification. A transition table exists only for the events that have it, and
-- PL/pgSQL plans a statement when it first runs, so each branch reads only its own.

-- A story that is or was published: publishing, unpublishing, archiving, any edit while published.
CREATE FUNCTION stories_notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM notify_public_content_changed(ARRAY(SELECT id FROM new_rows WHERE status = 'PUBLISHED'));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM notify_public_content_changed(ARRAY(
      SELECT id FROM new_rows WHERE status = 'PUBLISHED' UNION SELECT id FROM old_rows WHERE status = 'PUBLISHED'));
  ELSE
    PERFORM notify_public_content_changed(ARRAY(SELECT id FROM old_rows WHERE status = 'PUBLISHED'));
  END IF;
  RETURN NULL;
END
$$;

-- Paragraphs and photo placements belong to one story each: they matter while it is published. (A
-- story unpublished in the same transaction has already announced itself.)
CREATE FUNCTION story_parts_notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM notify_public_content_changed(published_among(ARRAY(SELECT story_id FROM new_rows)));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM notify_public_content_changed(published_among(ARRAY(
      SELECT story_id FROM new_rows UNION SELECT story_id FROM old_rows)));
  ELSE
    PERFORM notify_public_content_changed(published_among(ARRAY(SELECT story_id FROM old_rows)));
  END IF;
  RETURN NULL;
END
$$;

-- The public sees confirmed attributions only: one that is or was confirmed, in a published story.
CREATE FUNCTION attributions_notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM notify_public_content_changed(published_among(ARRAY(SELECT story_id FROM new_rows WHERE confirmed)));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM notify_public_content_changed(published_among(ARRAY(
      SELECT story_id FROM new_rows WHERE confirmed UNION SELECT story_id FROM old_rows WHERE confirmed)));
  ELSE
    PERFORM notify_public_content_changed(published_among(ARRAY(SELECT story_id FROM old_rows WHERE confirmed)));
  END IF;
  RETURN NULL;
END
$$;

-- A photo shows (with its caption and credit) in every published story that places it. A new photo
-- is placed nowhere yet, and one that is placed cannot be deleted (the foreign key restricts it).
CREATE FUNCTION photos_notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM notify_public_content_changed(published_among(ARRAY(
      SELECT sp.story_id FROM story_photos sp WHERE sp.photo_id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows))));
  END IF;
  RETURN NULL;
END
$$;

-- A source shows in every published story that attributes something to it, through a confirmed
-- attribution. Inserts and deletes need nothing: a new source is used nowhere, and a used one
-- cannot be deleted; merging moves the attributions first, which announces their stories.
CREATE FUNCTION sources_notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM notify_public_content_changed(published_among(ARRAY(
      SELECT a.story_id FROM attributions a WHERE a.confirmed AND a.source_id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows))));
  END IF;
  RETURN NULL;
END
$$;

-- TRUNCATE has no rows to look at: everything may have changed.
CREATE FUNCTION notify_all_public_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('public_content_changed', 'all');
  RETURN NULL;
END
$$;

CREATE TRIGGER stories_public_change_after_insert
  AFTER INSERT ON stories REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stories_notify_public_change();
CREATE TRIGGER stories_public_change_after_update
  AFTER UPDATE ON stories REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stories_notify_public_change();
CREATE TRIGGER stories_public_change_after_delete
  AFTER DELETE ON stories REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stories_notify_public_change();
CREATE TRIGGER stories_public_change_after_truncate
  AFTER TRUNCATE ON stories
  FOR EACH STATEMENT EXECUTE FUNCTION notify_all_public_content_changed();

CREATE TRIGGER paragraphs_public_change_after_insert
  AFTER INSERT ON paragraphs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER paragraphs_public_change_after_update
  AFTER UPDATE ON paragraphs REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER paragraphs_public_change_after_delete
  AFTER DELETE ON paragraphs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER paragraphs_public_change_after_truncate
  AFTER TRUNCATE ON paragraphs
  FOR EACH STATEMENT EXECUTE FUNCTION notify_all_public_content_changed();

CREATE TRIGGER story_photos_public_change_after_insert
  AFTER INSERT ON story_photos REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER story_photos_public_change_after_update
  AFTER UPDATE ON story_photos REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER story_photos_public_change_after_delete
  AFTER DELETE ON story_photos REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER story_photos_public_change_after_truncate
  AFTER TRUNCATE ON story_photos
  FOR EACH STATEMENT EXECUTE FUNCTION notify_all_public_content_changed();

CREATE TRIGGER attributions_public_change_after_insert
  AFTER INSERT ON attributions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION attributions_notify_public_change();
CREATE TRIGGER attributions_public_change_after_update
  AFTER UPDATE ON attributions REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION attributions_notify_public_change();
CREATE TRIGGER attributions_public_change_after_delete
  AFTER DELETE ON attributions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION attributions_notify_public_change();
CREATE TRIGGER attributions_public_change_after_truncate
  AFTER TRUNCATE ON attributions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_all_public_content_changed();

CREATE TRIGGER photos_public_change_after_update
  AFTER UPDATE ON photos REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION photos_notify_public_change();
CREATE TRIGGER photos_public_change_after_truncate
  AFTER TRUNCATE ON photos
  FOR EACH STATEMENT EXECUTE FUNCTION notify_all_public_content_changed();

CREATE TRIGGER sources_public_change_after_update
  AFTER UPDATE ON sources REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sources_notify_public_change();
CREATE TRIGGER sources_public_change_after_truncate
  AFTER TRUNCATE ON sources
  FOR EACH STATEMENT EXECUTE FUNCTION notify_all_public_content_changed();
