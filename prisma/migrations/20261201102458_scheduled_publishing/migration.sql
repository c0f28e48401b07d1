-- AlterTable
ALTER TABLE "stories" ADD COLUMN     "scheduled_for" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "story_events" ADD COLUMN     "details" JSONB;

-- CreateIndex
CREATE INDEX "stories_scheduled_for_idx" ON "stories"("scheduled_for");

-- Hand-written: Prisma's schema language cannot express triggers.

-- Only a story that could be published (DRAFT or IN_REVIEW) keeps a schedule. Any step to another
-- status (published by hand or by the scheduler, archived, and whatever step comes later) clears
-- it here, so that no writer can leave a schedule behind on a story that must not fire.
CREATE FUNCTION stories_clear_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status NOT IN ('DRAFT', 'IN_REVIEW') THEN
    NEW.scheduled_for := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER stories_clear_schedule BEFORE INSERT OR UPDATE ON stories
  FOR EACH ROW WHEN (NEW.scheduled_for IS NOT NULL) EXECUTE FUNCTION stories_clear_schedule();

-- A story scheduled or rescheduled is announced on story_schedule_changed, when its transaction
-- commits, so that every scheduler (each API instance, npm run worker) re-arms its timer to the
-- next due time (src/scheduling/scheduler.ts). A schedule cleared needs no wake-up: a timer that
-- finds nothing due re-arms itself. Identical payloads of one transaction fold into one.
CREATE FUNCTION stories_notify_schedule_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('story_schedule_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER stories_notify_schedule_change AFTER INSERT OR UPDATE OF scheduled_for ON stories
  FOR EACH ROW WHEN (NEW.scheduled_for IS NOT NULL) EXECUTE FUNCTION stories_notify_schedule_change();
