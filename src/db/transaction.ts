import type { OperationContext } from "../context/operation-context.js";
import { forgetLoaded } from "../context/loaders.js";
import type { Transaction } from "./client.js";

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
