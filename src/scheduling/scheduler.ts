import { setImmediate as afterPendingIo } from "node:timers/promises";
import type { Logger } from "pino";
import type { DatabaseTarget, SchedulerConfig } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { asAppError } from "../errors.js";
import { fellDueBeforeStart, wakeDelayMs } from "./scheduling.rules.js";
import { nextDueTime, publishDueStories, type ScheduledOutcome } from "./scheduling.service.js";

/** The channel a trigger on stories notifies when a story is scheduled or rescheduled (migration 20261201102458). */
export const SCHEDULE_CHANNEL = "story_schedule_changed";

/** PGlite serves one transaction at a time, so more would only queue; PostgreSQL publishes a few batches of a burst in parallel. */
export function schedulerConcurrency(database: DatabaseTarget): number {
  return database.kind === "pglite" ? 1 : 4;
}

export interface Scheduler {
  /** Stops waking, and resolves once the publications under way have committed (or rolled back). */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  database: Pick<DatabaseHandle, "prisma" | "notifications">;
  settings: Pick<SchedulerConfig, "pollSeconds" | "batchSize">;
  /** Transactions it runs at once while a burst is due (schedulerConcurrency). */
  concurrency: number;
  log: Logger;
}

/**
 * Publishes scheduled stories when they fall due; one runs in every API instance (and in npm run
 * worker). It sleeps until the next due time, re-arms whenever a schedule changes anywhere (the
 * trigger's NOTIFY reaches every instance on PostgreSQL, and this process on PGlite), and polls as
 * a safety net for notifications lost while the listening connection was down. At start it
 * publishes whatever fell due while no scheduler ran, and says so in the log. Exactly-once is the
 * database's doing (publishDueStories): any number of schedulers may wake for the same story.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { database, log, concurrency } = options;
  const pollMs = options.settings.pollSeconds * 1000;
  const { batchSize } = options.settings;
  const startedAt = new Date();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** The round under way: publishing what is due, then arming the timer. */
  let round: Promise<void> | undefined;
  /** A wake-up came during the round: what it was for may have been missed, so one more round follows. */
  let wokenDuringRound = false;

  function report(outcome: ScheduledOutcome): void {
    const publishAt = outcome.publishAt.toISOString();
    if (!outcome.published) {
      const { storyId, code, reason, message } = outcome;
      log.warn({ storyId, publishAt, code, reason, refusal: message }, "scheduled story not published; its schedule is cleared");
    } else if (fellDueBeforeStart(outcome.publishAt, startedAt)) {
      log.warn({ storyId: outcome.storyId, publishAt }, "published a scheduled story that fell due while no scheduler ran");
    } else {
      log.info({ storyId: outcome.storyId, publishAt }, "scheduled story published");
    }
  }

  /** Publishes batches until one comes back short, i.e. nothing more is due that another scheduler is not publishing. */
  async function publishWhileDue(): Promise<void> {
    while (!stopped) {
      // PGlite runs in this thread and answers without waiting for I/O: without this, a burst would
      // hold off the requests the instance serves until the last batch.
      await afterPendingIo();
      const outcomes = await publishDueStories(database.prisma, batchSize);
      outcomes.forEach(report);
      if (outcomes.length < batchSize) return;
    }
  }

  async function runRound(): Promise<void> {
    // One batch first; only a full one (a burst) brings in the parallel ones.
    const first = await publishDueStories(database.prisma, batchSize);
    first.forEach(report);
    if (first.length === batchSize) await Promise.all(Array.from({ length: concurrency }, publishWhileDue));
    if (stopped) return;
    const { nextDue, databaseNow } = await nextDueTime(database.prisma);
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(wake, wakeDelayMs(nextDue, databaseNow, pollMs));
  }

  function wake(): void {
    if (stopped) return;
    if (round) {
      wokenDuringRound = true;
      return;
    }
    round = runRound()
      .catch((error: unknown) => {
        // The poll tries again; an outage is a warning, as for requests.
        if (asAppError(error)?.code === "SERVICE_UNAVAILABLE") log.warn({ err: error }, "scheduler: database unavailable");
        else log.error({ err: error }, "scheduler: publishing due stories failed");
      })
      .finally(() => {
        round = undefined;
        if (wokenDuringRound) {
          wokenDuringRound = false;
          wake();
        }
      });
  }

  const unsubscribe = database.notifications.subscribe(SCHEDULE_CHANNEL, {
    notified: wake,
    listening: () => {
      log.info({ pollSeconds: options.settings.pollSeconds }, "scheduler listening for schedule changes");
      // Whatever was scheduled while not listening was not heard of.
      wake();
    },
    interrupted: (error) => log.warn({ err: error }, "scheduler: lost the listening connection; polling until it is back"),
  });
  const poll = setInterval(wake, pollMs);
  wake();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      await round;
    },
  };
}
