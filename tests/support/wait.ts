import { setTimeout as sleep } from "node:timers/promises";

const POLL_INTERVAL_MS = 10;

/**
 * Resolves once the condition holds, checking it every few milliseconds; fails naming what it
 * waited for if it still does not hold after timeoutMs. The limit is for a hang, never a measure
 * of speed. (expect.poll does the same, but only inside a test, not in beforeAll.)
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(POLL_INTERVAL_MS);
  }
}
