import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { projectRoot, type DatabaseTarget } from "../../src/config.js";

const run = promisify(execFile);

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points a project command at a test database, as a user would with DATABASE_URL. */
export function envFor(target: DatabaseTarget): Record<string, string> {
  return target.kind === "postgres" ? { DATABASE_URL: target.url } : { PGLITE_DATA_DIR: target.dataDir ?? "memory://", DATABASE_URL: "" };
}

/** Runs a command in the project folder and reports how it ended instead of throwing. */
export async function runInProject(command: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}
