import type { Database } from "./client.js";

/**
 * What the response cache waits for after an invalidation before it stores answers again: that
 * the reads it would store see the change. Public reads may go to a streaming replica that lags
 * behind the primary; an instance that refilled its cache from one just after a notification would
 * cache the old content until the next change. Without replicas every read goes to the primary,
 * which had the change before it notified: there is nothing to wait for, and no barrier is given.
 */
export interface FreshnessBarrier {
  /** Resolves once reads see everything committed on the primary before the call; rejects when that cannot be known. */
  readsCaughtUp(): Promise<void>;
}

/**
 * The barrier for streaming replicas: the primary's WAL position when the invalidation arrives
 * (at or past the commit that notified), then until every replica that serves reads has replayed
 * that far (`pg_last_wal_replay_lsn()` on each, which the replica layer tracks).
 */
export function replicaFreshnessBarrier(primary: Database, replicasReplayedTo: (lsn: string) => Promise<void>): FreshnessBarrier {
  return {
    async readsCaughtUp() {
      const [position] = await primary.$queryRaw<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`;
      await replicasReplayedTo(position!.lsn);
    },
  };
}
