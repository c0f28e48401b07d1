import type { Database, Transaction } from "./client.js";

/**
 * Every write runs in one transaction: all of it lands or none of it does. PGlite serves one
 * transaction at a time, so waiting for the turn gets a generous limit.
 */
export function inTransaction<T>(ctx: { db: Database }, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return ctx.db.$transaction(work, { maxWait: 15_000, timeout: 30_000 });
}
