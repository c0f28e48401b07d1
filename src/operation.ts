import type { Database, Transaction } from "./db/client.js";
import type { Loaders } from "./loaders.js";
import type { Viewer } from "./users/users.rules.js";

/** What every service operation receives: no transport, just who asks and where the data is. */
export interface OperationContext {
  db: Database;
  viewer: Viewer;
  loaders: Loaders;
}

/**
 * Every write runs in one transaction: all of it lands or none of it does. PGlite serves one
 * transaction at a time, so waiting for the turn gets a generous limit.
 */
export function inTransaction<T>(ctx: OperationContext, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return ctx.db.$transaction(work, { maxWait: 15_000, timeout: 30_000 });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);
