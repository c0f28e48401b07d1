import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { Notifications } from "../db/notifications.js";
import { sweepLapsedLeases } from "./editing.service.js";

/** The channel on which the database announces each lease started (prisma/migrations/20261201103000_live_desk). */
export const LEASE_STARTED_CHANNEL = "editing_lease_started";

/**
 * Reports leases whose heartbeats stopped: once any instance starts a lease, every instance sweeps
 * every half lease (at least every second, at most every 30 s) until none remain, so a lapsed lease
 * is reported as EDITING_ENDED within about half a lease after it lapses, even if the instance that
 * started it is gone. With no leases, nothing runs.
 */
export function startLeaseSweeper(options: { db: Database; notifications: Notifications; leaseSeconds: number; log: Logger }) {
  const { db, notifications, log } = options;
  const intervalMs = Math.min(Math.max(options.leaseSeconds / 2, 1), 30) * 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const sweepSoon = () => {
    if (timer || stopped) return;
    timer = setTimeout(async () => {
      try {
        const { remaining } = await sweepLapsedLeases(db);
        timer = undefined;
        if (remaining > 0) sweepSoon();
      } catch (error) {
        log.warn({ err: error }, "could not sweep lapsed editing leases; trying again");
        timer = undefined;
        sweepSoon();
      }
    }, intervalMs);
    timer.unref();
  };
  const stopListening = notifications.subscribe(LEASE_STARTED_CHANNEL, {
    notified: sweepSoon,
    listening: () => {},
    interrupted: () => {},
  });
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      stopListening();
    },
  };
}
