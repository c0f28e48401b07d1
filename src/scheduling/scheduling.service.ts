import { latestPrintedStories, printedStoriesOf } from "../audit/revision.service.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Database, Transaction } from "../db/client.js";
import { conflict, type AppError } from "../errors.js";
import type { Story } from "../generated/prisma/client.js";
import { commitStatusChanges, editorialRefusal, editStory, type LockedStory, type StatusChange } from "../stories/story-edit.js";
import { publishDecisions } from "../stories/story-editing.service.js";
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
 *
 * The batch goes through the same publish step as an editor's publishStory (publishDecisions,
 * each story judged on its own) and is written set-wise by the kernel (commitStatusChanges): a
 * handful of statements whatever the batch's size, and one change to story_counts per batch.
 */
export async function publishDueStories(db: Database, limit: number): Promise<ScheduledOutcome[]> {
  return db.$transaction(
    async (tx) => {
      const due = await tx.$queryRaw<DueRow[]>`
        SELECT id::text AS id, status::text AS status, author_id::text AS author_id, version, scheduled_for
          FROM stories WHERE scheduled_for <= now()
         ORDER BY scheduled_for, id LIMIT ${limit}
           FOR UPDATE SKIP LOCKED`;
      if (due.length === 0) return [];
      return publishScheduled(tx, due);
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/**
 * The claimed stories, with the scheduler as the actor (none) and the time each was scheduled for
 * in its event. A story the publish step refuses (it is not ready: no text, a photo without a
 * caption, a blocker) is not retried: its schedule is cleared and a SCHEDULE_FAILED event says
 * why, for the desk to fix it and schedule or publish it again; the rest of the batch goes out.
 */
async function publishScheduled(tx: Transaction, due: DueRow[]): Promise<ScheduledOutcome[]> {
  const ids = due.map((row) => row.id);
  const decisions = new Map((await publishDecisions(tx, ids, new Date())).map((decision) => [decision.storyId, decision]));
  const before = await latestPrintedStories(tx, ids);
  const printed = await printedStoriesOf(tx, ids);
  const changes: StatusChange[] = [];
  const outcomes: ScheduledOutcome[] = [];
  for (const row of due) {
    const story: LockedStory = { id: row.id, status: row.status, authorId: row.author_id, version: row.version };
    const publishAt = row.scheduled_for;
    const decision = decisions.get(story.id)!;
    const change = { actorId: null, story, before: before.get(story.id)! };
    const refuse = (refusal: AppError) => {
      const reason = typeof refusal.details?.reason === "string" ? refusal.details.reason : null;
      changes.push({
        ...change,
        everPublished: decision.firstPublishedAt !== null,
        changes: { scheduledFor: null },
        action: "SCHEDULE_FAILED",
        // What the refusal said (its reason, and the blockers it names), as the desk would have read it.
        details: {
          publishAt: publishAt.toISOString(),
          code: refusal.code,
          message: refusal.message,
          ...(refusal.details as object),
          reason,
        },
      });
      outcomes.push({ storyId: story.id, publishAt, published: false, code: refusal.code, reason, message: refusal.message });
    };
    if ("refusal" in decision) {
      refuse(decision.refusal);
      continue;
    }
    // The editorial check commitStatusChanges makes, made first so that a refusal fails this story only.
    const published = { ...change, everPublished: true };
    const refusal = editorialRefusal(published, printed.get(story.id)!);
    if (refusal) {
      refuse(refusal);
      continue;
    }
    changes.push({
      ...published,
      changes: decision.changes,
      action: "PUBLISHED",
      details: { scheduled: true, publishAt: publishAt.toISOString() },
    });
    outcomes.push({ storyId: story.id, publishAt, published: true });
  }
  await commitStatusChanges(tx, changes, printed);
  return outcomes;
}

/** When the next story falls due (null when none is scheduled), with the database's time now, which decides what is due. */
export async function nextDueTime(db: Database): Promise<{ nextDue: Date | null; databaseNow: Date }> {
  const [row] = await db.$queryRaw<{ next_due: Date | null; database_now: Date }[]>`
    SELECT min(scheduled_for) AS next_due, clock_timestamp() AS database_now FROM stories WHERE scheduled_for IS NOT NULL`;
  return { nextDue: row!.next_due, databaseNow: row!.database_now };
}
