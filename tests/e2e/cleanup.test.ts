import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runToEnd } from "../support/processes.js";

/** Processes whose environment carries the marker; a process that has gone, or is not ours to read, is not one. */
function processesMarked(marker: string): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });
}

describe("a test run that fails", { timeout: 900_000 }, () => {
  it("leaves none of the processes its tests started: not on a failed assertion, a timeout, or a killed worker", async () => {
    const marker = `NEWSROOM_LEFTOVER_MARKER=${randomUUID()}`;
    const [name, value] = marker.split("=") as [string, string];
    const run = await runToEnd("npx", ["vitest", "run", "--config", "tests/fixtures/leftover-processes/vitest.config.ts"], {
      env: { [name]: value, TEST_DATABASE_URL: "" },
      timeoutMs: 600_000,
    });
    const report = run.stdout + run.stderr;
    // The run failed in each of the three ways it was written to fail.
    expect(run.code, report).not.toBe(0);
    expect(report).toContain("fails an assertion");
    expect(report).toMatch(/Test timed out in 5000ms/);
    expect(report).toContain("Worker exited unexpectedly");
    // The global teardown found and killed the group the dead worker left behind.
    expect(report).toMatch(/killed process group \d+ \(sh -c echo started/);
    // A killed process lingers only until it is reaped, which the kernel does at once for orphans;
    // the wait is for that, not for anything the test measures.
    await expect.poll(() => processesMarked(marker), { timeout: 30_000, interval: 200 }).toEqual([]);
  });
});
