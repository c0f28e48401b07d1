import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { testDatabaseAdminUrl, type DatabaseTarget } from "../../src/config.js";
import { applyPendingMigrations } from "../../src/db/migrations.js";

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * A brand new database with every migration applied: on the PostgreSQL server named by
 * TEST_DATABASE_URL if set, else PGlite in a temporary folder (a folder rather than memory, so
 * that code under test and child processes can open it by its target).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testDatabaseAdminUrl();
  const database = adminUrl ? await createPostgresDatabase(adminUrl) : await createPgliteDatabase();
  try {
    await applyPendingMigrations(database.target);
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `newsroom_test_${randomBytes(6).toString("hex")}`;
  await runAsAdmin(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    // FORCE ends connections a failed test left open.
    drop: () => runAsAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function runAsAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  // The data folder sits inside a folder of its own, so that whatever PGlite's opener puts beside
  // it (a lock file) goes with it.
  const folder = await mkdtemp(path.join(os.tmpdir(), "newsroom-test-"));
  return {
    target: { kind: "pglite", dataDir: path.join(folder, "pglite") },
    drop: () => rm(folder, { recursive: true, force: true }),
  };
}
