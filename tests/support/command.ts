import type { DatabaseTarget } from "../../src/config.js";
import { runToEnd, startProcess, type CommandResult, type ManagedProcess } from "./processes.js";

export type { CommandResult };

/** The environment that points a project command at a test database, as a user would with DATABASE_URL. */
export function envFor(target: DatabaseTarget): Record<string, string> {
  return target.kind === "postgres" ? { DATABASE_URL: target.url } : { PGLITE_DATA_DIR: target.dataDir ?? "memory://", DATABASE_URL: "" };
}

/**
 * A project command (npm run ..., npx prisma ...) typically takes seconds; the limit is for a hung
 * one, so it is far above anything a loaded machine needs and well inside the tests' own limits.
 */
export const COMMAND_TIMEOUT_MS = 240_000;

/** Runs a command in the project folder and reports how it ended instead of throwing. */
export function runInProject(command: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  return runToEnd(command, args, { env, timeoutMs: COMMAND_TIMEOUT_MS });
}

/**
 * The API (or the scheduling worker) as production runs it, on a free port of 127.0.0.1, logging
 * at info so that the test can read what it did; `env` adds to or overrides that.
 */
export function startServerProcess(
  target: DatabaseTarget,
  env: Record<string, string> = {},
  script: "src/main.ts" | "src/worker.ts" = "src/main.ts",
): ManagedProcess {
  return startProcess("node", ["--import", "tsx", script], {
    env: { ...envFor(target), NODE_ENV: "production", LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", ...env },
  });
}
