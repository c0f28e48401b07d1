import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { testDatabaseAdminUrl, type DatabaseTarget } from "../../src/config.js";
import { applyPendingMigrations } from "../../src/db/migrate/migrations.js";
import { dropLeftoverDatabases, runAsAdmin, testDatabaseName } from "../support/postgres-admin.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A database with every migration applied, which each test file copies instead of migrating its own. */
    templateDatabase: DatabaseTarget;
  }
}

/**
 * Applying the migrations through Prisma's WebAssembly schema engine takes seconds; doing it once
 * per run and copying the result (CREATE DATABASE ... TEMPLATE on PostgreSQL, a folder copy on
 * PGlite) keeps that cost out of every test file.
 */
export default async function setup(project: TestProject) {
  const adminUrl = testDatabaseAdminUrl();
  if (adminUrl) {
    await dropLeftoverDatabases(adminUrl);
    const name = testDatabaseName("template", process.pid);
    await runAsAdmin(adminUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const template: DatabaseTarget = { kind: "postgres", url: url.toString() };
    await applyPendingMigrations(template);
    project.provide("templateDatabase", template);
    return () => runAsAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), `newsroom-template-${randomBytes(3).toString("hex")}-`));
  const template: DatabaseTarget = { kind: "pglite", dataDir: path.join(folder, "pglite") };
  await applyPendingMigrations(template);
  project.provide("templateDatabase", template);
  return () => rm(folder, { recursive: true, force: true });
}
