import type { OperationContext } from "../context/operation-context.js";
import { forgetLoaded } from "../context/loaders.js";
import { isStatementTimeout, type AppError } from "../errors.js";
import type { Database, Transaction } from "./client.js";

/**
 * Every write runs in one transaction: all of it lands or none of it does. PGlite serves one
 * transaction at a time, so waiting for the turn gets a generous limit. Once it has committed, the
 * request's loaders forget what they read before, so that the mutation's answer, and the next
 * mutation of the same request, read what it wrote.
 */
export async function inTransaction<T>(ctx: OperationContext, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const result = await ctx.db.$transaction(work, { maxWait: 15_000, timeout: 30_000 });
  forgetLoaded(ctx.loaders);
  return result;
}

/**
 * Reads in one transaction whose statements PostgreSQL stops after `milliseconds` (SET LOCAL, so
 * the limit ends with the transaction and never stays on a pooled connection); a statement
 * stopped so rejects with onTimeout's error. PGlite runs statements without a timer, so there
 * only the bounds of the statements themselves hold.
 */
export async function readWithinTimeLimit<T>(
  ctx: { db: Database },
  milliseconds: number,
  work: (tx: Transaction) => Promise<T>,
  onTimeout: () => AppError,
): Promise<T> {
  try {
    return await ctx.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT set_config('statement_timeout', ${String(milliseconds)}, true)`;
        return work(tx);
      },
      { maxWait: 15_000, timeout: 30_000 },
    );
  } catch (error) {
    throw isStatementTimeout(error) ? onTimeout() : error;
  }
}
