import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, type DatabaseTarget } from "../src/config.js";
import { openDatabase } from "../src/db/adapter.js";
import { applyPendingMigrations, createMigration, migrationStatus } from "../src/db/migrate/migrations.js";
import { envFor, runInProject } from "./support/command.js";
import { createEmptyTestDatabase, type TestDatabase } from "./support/database.js";

const migrationsDir = path.join(projectRoot, "prisma", "migrations");

async function migrationFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Prisma's own record of what ran, read straight from the database. */
async function migrationRows(target: DatabaseTarget) {
  const database = await openDatabase(target);
  const connection = await database.adapter.connect();
  try {
    const result = await connection.queryRaw({
      sql: "SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NULL AS current FROM _prisma_migrations ORDER BY migration_name",
      args: [],
      argTypes: [],
    });
    return result.rows.map(([name, finished, current]) => ({ name, finished, current }));
  } finally {
    await connection.dispose();
    await database.close();
  }
}

describe("migrations", { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let scratch: string;

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
    scratch = await mkdtemp(path.join(os.tmpdir(), "newsroom-migrations-"));
  });

  afterAll(async () => {
    await database?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("applies every migration folder to an empty database, leaving a clean history", async () => {
    const folders = await migrationFolders(migrationsDir);
    expect(folders.length).toBeGreaterThan(0);
    expect(await applyPendingMigrations(database.target)).toEqual(folders);

    const status = await migrationStatus(database.target);
    expect(status).toEqual({
      local: folders,
      applied: folders,
      pending: [],
      failed: [],
      edited: [],
      missingLocally: [],
      upToDate: true,
    });
    expect(await migrationRows(database.target)).toEqual(folders.map((name) => ({ name, finished: true, current: true })));
  });

  it("applies nothing the second time", async () => {
    const before = await migrationRows(database.target);
    expect(await applyPendingMigrations(database.target)).toEqual([]);
    expect(await migrationRows(database.target)).toEqual(before);
  });

  it("refuses to create a migration when the schema has not changed, and writes nothing", async () => {
    const copy = path.join(scratch, "unchanged");
    await cp(migrationsDir, copy, { recursive: true });
    const before = await readdir(copy);

    await expect(createMigration(database.target, "nothing_changed", { migrationsDir: copy })).rejects.toThrow(/No migration created/);
    expect(await readdir(copy)).toEqual(before);
  });

  it("reports a migration edited after it was applied", async () => {
    const copy = path.join(scratch, "edited");
    await cp(migrationsDir, copy, { recursive: true });
    const [first] = await migrationFolders(copy);
    await writeFile(path.join(copy, first!, "migration.sql"), "-- rewritten after the fact\n", { flag: "a" });

    const status = await migrationStatus(database.target, { migrationsDir: copy });
    expect(status.edited).toEqual([first]);
    expect(status.upToDate).toBe(false);
  });

  it("answers `prisma migrate status` through prisma/schema-engine", async () => {
    const { code, stdout, stderr } = await runInProject("npx", ["prisma", "migrate", "status"], envFor(database.target));
    expect(code, stderr).toBe(0);
    const folders = await migrationFolders(migrationsDir);
    expect(stdout).toContain(`${folders.length} migration${folders.length === 1 ? "" : "s"} found in prisma/migrations`);
    expect(stdout).toContain("Database schema is up to date!");
  });

  // Last: it leaves a failed migration in this database's history.
  it("names the migration that failed and why, then holds back everything after it", async () => {
    const copy = path.join(scratch, "failing");
    await cp(migrationsDir, copy, { recursive: true });
    const broken = "29991231235958_broken";
    await cp(path.join(copy, (await migrationFolders(copy))[0]!), path.join(copy, broken), { recursive: true });
    await writeFile(path.join(copy, broken, "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT 1 / 0;\n");
    await cp(path.join(copy, broken), path.join(copy, "29991231235959_after"), { recursive: true });
    await writeFile(path.join(copy, "29991231235959_after", "migration.sql"), "CREATE TABLE after_broken (id int);\n");

    await expect(applyPendingMigrations(database.target, { migrationsDir: copy })).rejects.toThrow(
      `Migration ${broken} failed: Error querying the database: ERROR: division by zero`,
    );
    const status = await migrationStatus(database.target, { migrationsDir: copy });
    expect(status.failed).toEqual([broken]);
    expect(status.pending).toContain("29991231235959_after");
    await expect(applyPendingMigrations(database.target, { migrationsDir: copy })).rejects.toThrow(/P3009|failed migrations/);
  });
});
