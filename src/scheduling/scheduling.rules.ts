import { badInput, conflict } from "../errors.js";
import type { StoryAccessFacts, StoryStatus } from "../stories/story.rules.js";

/**
 * The statuses a story may be scheduled from: those it could be published from. A trigger on
 * stories (migration 20261201102458_scheduled_publishing) clears the schedule of a story that
 * moves to any other status, so a schedule never fires on a story that left them.
 */
export const SCHEDULABLE_STATUSES: readonly StoryStatus[] = ["DRAFT", "IN_REVIEW"];

export function assertSchedulable(story: StoryAccessFacts): void {
  if (!SCHEDULABLE_STATUSES.includes(story.status)) {
    throw conflict(`Only a story that could be published (DRAFT or IN_REVIEW) can be scheduled; this story is ${story.status}`, undefined, {
      reason: "INVALID_TRANSITION",
      status: story.status,
    });
  }
}

/** A schedule is for later: a time already past is a mistake (publish the story instead). */
export function assertPublishAtAhead(publishAt: Date, now: Date): void {
  if (publishAt.getTime() <= now.getTime()) {
    throw badInput("publishAt", `publishAt ${publishAt.toISOString()} is not in the future (it is now ${now.toISOString()})`, {
      reason: "PUBLISH_AT_IN_PAST",
    });
  }
}

/**
 * How long the scheduler sleeps, after publishing all it could claim, before it looks for due
 * stories again: until the next one falls due by the database's clock (which decides what is
 * due), never longer than the poll (the safety net) nor shorter than a moment, so that a clock a
 * little ahead of the database's cannot make it spin. A story already due that it could not claim
 * is being published by another scheduler, which holds its row: it looks again a little later,
 * in case that one dies before committing.
 */
export function wakeDelayMs(nextDue: Date | null, databaseNow: Date, pollMs: number): number {
  if (nextDue === null) return pollMs;
  const untilDue = nextDue.getTime() - databaseNow.getTime();
  if (untilDue <= 0) return Math.min(pollMs, HELD_ELSEWHERE_RECHECK_MS);
  return Math.min(pollMs, Math.max(MIN_WAKE_DELAY_MS, untilDue));
}

export const MIN_WAKE_DELAY_MS = 5;
export const HELD_ELSEWHERE_RECHECK_MS = 250;

/** A story that fell due before the scheduler started was due while no scheduler ran (or none could publish it). */
export function fellDueBeforeStart(publishAt: Date, schedulerStartedAt: Date): boolean {
  return publishAt.getTime() < schedulerStartedAt.getTime();
}
