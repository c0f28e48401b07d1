import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder listing the process groups tests have started and not yet seen end (tests/support/processes.ts). */
    processRegistry: string;
    /** The vitest process of this run; databases and folders the run makes carry it in their names. */
    testRunPid: number;
  }
}

/**
 * Whatever happens to a test worker, no process a test started outlives the run: groups still
 * listed when the run ends (their worker died before its afterAll) are killed here, and named.
 */
export default function setup(project: TestProject) {
  const registry = mkdtempSync(path.join(os.tmpdir(), "newsroom-test-processes-"));
  project.provide("processRegistry", registry);
  project.provide("testRunPid", process.pid);
  return () => {
    for (const group of readdirSync(registry)) {
      const command = readFileSync(path.join(registry, group), "utf8");
      try {
        process.kill(-Number(group), "SIGKILL");
        console.warn(`killed process group ${group} (${command}), which a test left running`);
      } catch {
        // Already gone.
      }
    }
    rmSync(registry, { recursive: true, force: true });
  };
}
