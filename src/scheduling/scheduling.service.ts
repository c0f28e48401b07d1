import { latestPrintedStory } from "../audit/revision.service.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Database, Transaction } from "../db/client.js";
import { asAppError, conflict } from "../errors.js";
import type { Story } from "../generated/prisma/client.js";
import { commitStoryChange, editStory, type LockedStory } from "../stories/story-edit.js";
import { publishChanges } from "../stories/story-editing.service.js";
import type { StoryStatus } from "../stories/story.rules.js";
import { assertPublishAtAhead, assertSchedulable } from "./scheduling.rules.js";

/** Sets (or moves) the time at which the scheduler publishes the story; a versioned change like any other. */
export async function scheduleStory(ctx: OperationContext, id: string, expectedVersion: number, publishAt: Date): Promise<Story> {
  assertPublishAtAhead(publishAt, new Date());
  return editStory(
    ctx,
    { storyId: id, expectedVersion, action: "SCHEDULED", details: { publishAt: publishAt.toISOString() } },
    assertSchedulable,
    async () => ({ scheduledFor: publishAt }),
  );
}

export async function unscheduleStory(ctx: OperationContext, id: string, expectedVersion: number): Promise<Story> {
  return editStory(
    ctx,
    { storyId: id, expectedVersion, action: "UNSCHEDULED" },
    // Editors only (@Access), whatever the status: a story with a schedule is one that may have it.
    () => undefined,
    async (tx, story) => {
      const { scheduledFor } = await tx.story.findUniqueOrThrow({ where: { id: story.id }, select: { scheduledFor: true } });
      if (scheduledFor === null) throw conflict("The story is not scheduled", undefined, { reason: "NOT_SCHEDULED" });
      return { scheduledFor: null };
    },
  );
}

/** What became of one due story. */
export type ScheduledOutcome =
  | { storyId: string; publishAt: Date; published: true }
  | { storyId: string; publishAt: Date; published: false; code: string; reason: string | null; message: string };

interface DueRow {
  id: string;
  status: StoryStatus;
  author_id: string | null;
  version: number;
  scheduled_for: Date;
}

/**
 * Publishes up to `limit` due stories in one transaction, and returns what became of each. The due
 * rows are claimed with FOR UPDATE SKIP LOCKED: rows another scheduler is publishing right now are
 * passed over, not waited for, and a row it has published by the time this one reaches it no
 * longer matches (PostgreSQL checks the condition again on the row it locks, whose schedule the
 * publication cleared). So however many schedulers run, each due story is published once, with one
 * PUBLISHED event and one revision, in the transaction that claimed it; if that transaction dies
 * (the process killed), its locks go with it and another scheduler claims the rows.
 */
export async function publishDueStories(db: Database, limit: number): Promise<ScheduledOutcome[]> {
  return db.$transaction(
    async (tx) => {
      const due = await tx.$queryRaw<DueRow[]>`
        SELECT id::text AS id, status::text AS status, author_id::text AS author_id, version, scheduled_for
          FROM stories WHERE scheduled_for <= now()
         ORDER BY scheduled_for, id LIMIT ${limit}
           FOR UPDATE SKIP LOCKED`;
      const outcomes: ScheduledOutcome[] = [];
      for (const row of due) outcomes.push(await publishScheduled(tx, row));
      return outcomes;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/**
 * One due story, through the same publish step as an editor's publishStory, with the scheduler as
 * the actor (none) and the time it was scheduled for in the event. A story the publish step
 * refuses (it is not ready: no text, a photo without a caption, a blocker) is not retried: its
 * schedule is cleared and a SCHEDULE_FAILED event says why, for the desk to fix it and schedule
 * or publish it again. The savepoint undoes whatever the refused step wrote, and only that.
 */
async function publishScheduled(tx: Transaction, row: DueRow): Promise<ScheduledOutcome> {
  const story: LockedStory = { id: row.id, status: row.status, authorId: row.author_id, version: row.version };
  const publishAt = row.scheduled_for;
  const before = await latestPrintedStory(tx, story.id);
  await tx.$executeRaw`SAVEPOINT scheduled_publication`;
  try {
    const changes = await publishChanges(tx, story.id);
    await commitStoryChange(tx, {
      actorId: null,
      story,
      before,
      changes,
      action: "PUBLISHED",
      details: { scheduled: true, publishAt: publishAt.toISOString() },
    });
    await tx.$executeRaw`RELEASE SAVEPOINT scheduled_publication`;
    return { storyId: story.id, publishAt, published: true };
  } catch (error) {
    const refusal = asAppError(error);
    if (!refusal || refusal.code === "SERVICE_UNAVAILABLE") throw error;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT scheduled_publication`;
    const reason = typeof refusal.details?.reason === "string" ? refusal.details.reason : null;
    await commitStoryChange(tx, {
      actorId: null,
      story,
      before,
      changes: { scheduledFor: null },
      action: "SCHEDULE_FAILED",
      // What the refusal said (its reason, and the blockers it names), as the desk would have read it.
      details: { publishAt: publishAt.toISOString(), code: refusal.code, message: refusal.message, ...(refusal.details as object), reason },
    });
    return { storyId: story.id, publishAt, published: false, code: refusal.code, reason, message: refusal.message };
  }
}

/** When the next story falls due (null when none is scheduled), with the database's time now, which decides what is due. */
export async function nextDueTime(db: Database): Promise<{ nextDue: Date | null; databaseNow: Date }> {
  const [row] = await db.$queryRaw<{ next_due: Date | null; database_now: Date }[]>`
    SELECT min(scheduled_for) AS next_due, clock_timestamp() AS database_now FROM stories WHERE scheduled_for IS NOT NULL`;
  return { nextDue: row!.next_due, databaseNow: row!.database_now };
}
