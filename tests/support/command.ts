import type { DatabaseTarget } from "../../src/config.js";
import { runToEnd, type CommandResult } from "./processes.js";

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
