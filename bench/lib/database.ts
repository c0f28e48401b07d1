import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { projectRoot } from "../../src/config.js";
import type { Cluster } from "./cluster.js";

/** Runs a few statements on one database of the cluster and closes the connection. */
export async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(cluster: Cluster, name: string): Promise<string> {
  await onDatabase(cluster.url("postgres"), async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  return cluster.url(name);
}

/** The project's own deploy step, `npm run db:migrate`, as production runs it. */
export async function migrate(url: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/migrate.ts", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" },
  });
  return stdout.trim();
}
