import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Test databases are named after the vitest process that made them, so a later run can tell the
 * leftovers of a run that was killed (its process is gone) from those of a run still going.
 */
const PREFIX = "newsroom_test_";

export function testDatabaseName(purpose: "template" | "file", owner: number): string {
  return `${PREFIX}${owner}_${purpose}_${randomBytes(6).toString("hex")}`;
}

export async function runAsAdmin<Row = unknown>(adminUrl: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Row[];
  } finally {
    await client.end();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops the test databases of runs whose vitest process no longer exists. */
export async function dropLeftoverDatabases(adminUrl: string): Promise<void> {
  const rows = await runAsAdmin<{ datname: string }>(adminUrl, "SELECT datname FROM pg_database WHERE datname LIKE $1", [`${PREFIX}%`]);
  for (const { datname } of rows) {
    const owner = Number(/^newsroom_test_(\d+)_/.exec(datname)?.[1]);
    if (Number.isInteger(owner) && !isRunning(owner)) await runAsAdmin(adminUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}
