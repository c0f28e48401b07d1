import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { testDatabaseAdminUrl, type DatabaseTarget } from "../../src/config.js";
import { runAsAdmin, testDatabaseName } from "./postgres-admin.js";

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * A database of the test's own with every migration applied: a copy of the run's template
 * (tests/setup/template-database.global.ts), on the PostgreSQL server named by TEST_DATABASE_URL
 * if set, else PGlite in a temporary folder (a folder rather than memory, so that code under test
 * and child processes can open it by its target).
 */
export function createTestDatabase(): Promise<TestDatabase> {
  return newDatabase(inject("templateDatabase"));
}

/** A database with nothing in it, for tests of the migrations themselves. */
export function createEmptyTestDatabase(): Promise<TestDatabase> {
  return newDatabase(undefined);
}

function newDatabase(template: DatabaseTarget | undefined): Promise<TestDatabase> {
  const adminUrl = testDatabaseAdminUrl();
  return adminUrl ? createPostgresDatabase(adminUrl, template) : createPgliteDatabase(template);
}

/** CREATE DATABASE ... TEMPLATE refuses while another run's copy is being made from it; that lasts moments. */
const TEMPLATE_BUSY = "55006";

async function createPostgresDatabase(adminUrl: string, template: DatabaseTarget | undefined): Promise<TestDatabase> {
  const name = testDatabaseName("file", inject("testRunPid"));
  const templateName = template?.kind === "postgres" ? new URL(template.url).pathname.slice(1) : undefined;
  const create = templateName ? `CREATE DATABASE "${name}" TEMPLATE "${templateName}"` : `CREATE DATABASE "${name}"`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await runAsAdmin(adminUrl, create);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== TEMPLATE_BUSY || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    // FORCE ends connections a failed test left open.
    drop: () => runAsAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined),
  };
}

async function createPgliteDatabase(template: DatabaseTarget | undefined): Promise<TestDatabase> {
  // The data folder sits inside a folder of its own, so that whatever PGlite's opener puts beside
  // it (a lock file) goes with it.
  const folder = await mkdtemp(path.join(os.tmpdir(), "newsroom-test-"));
  const dataDir = path.join(folder, "pglite");
  if (template?.kind === "pglite" && template.dataDir) await cp(template.dataDir, dataDir, { recursive: true });
  return {
    target: { kind: "pglite", dataDir },
    drop: () => rm(folder, { recursive: true, force: true }),
  };
}
