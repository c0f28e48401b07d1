import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { MigrationList, SchemaFilter } from "@prisma/schema-engine-wasm";
import { projectRoot, type DatabaseTarget } from "../../config.js";
import { applyMigrations, openSchemaEngine, toSchemaEngineError, type SchemaEngine } from "./schema-engine.js";

/** Where the migrations and the schema live; tests point these at copies. */
export interface MigrationPaths {
  migrationsDir?: string;
  schemaPath?: string;
}

export interface MigrationStatus {
  /** Migration folders, oldest first. */
  local: string[];
  /** Folders whose migration finished on the database. */
  applied: string[];
  /** Folders not yet applied. */
  pending: string[];
  /** Migrations that started and failed; nothing more is applied until they are resolved. */
  failed: string[];
  /** Applied migrations whose migration.sql has changed since. */
  edited: string[];
  /** Migrations the database has applied that have no folder here. */
  missingLocally: string[];
  upToDate: boolean;
}

const defaultMigrationsDir = path.join(projectRoot, "prisma", "migrations");
const defaultSchemaPath = path.join(projectRoot, "prisma", "schema.prisma");
const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };
const lockfileName = "migration_lock.toml";

/** Applies the migrations the database has not run yet; returns their names. */
export async function applyPendingMigrations(target: DatabaseTarget, paths: MigrationPaths = {}): Promise<string[]> {
  return withEngine(target, paths, async (engine, migrationsList) => {
    const { appliedMigrationNames } = await applyMigrations(engine, { migrationsList, filters: noFilters });
    return appliedMigrationNames;
  });
}

export async function migrationStatus(target: DatabaseTarget, paths: MigrationPaths = {}): Promise<MigrationStatus> {
  return withEngine(target, paths, async (engine, migrationsList) => {
    const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters });
    const history = diagnosis.history;
    const pending = history && history.diagnostic !== "migrationsDirectoryIsBehind" ? history.unappliedMigrationNames : [];
    const missingLocally = history && history.diagnostic !== "databaseIsBehind" ? history.unpersistedMigrationNames : [];
    const failed = diagnosis.failedMigrationNames;
    const edited = diagnosis.editedMigrationNames;
    const local = migrationsList.migrationDirectories.map((directory) => directory.path);
    return {
      local,
      applied: local.filter((name) => !pending.includes(name) && !failed.includes(name)),
      pending,
      failed,
      edited,
      missingLocally,
      upToDate: [pending, failed, edited, missingLocally].every((names) => names.length === 0),
    };
  });
}

/**
 * Writes a migration from the schema the existing migrations produce (replayed on a shadow
 * database) to the current schema file, and returns its folder. Nothing is applied.
 */
export async function createMigration(target: DatabaseTarget, name: string, paths: MigrationPaths = {}): Promise<string> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    throw new Error(`Migration name "${name}" may only contain letters, digits and underscores`);
  }
  const schemaPath = paths.schemaPath ?? defaultSchemaPath;
  return withEngine(target, paths, async (engine, migrationsList, schema) => {
    // The engine only reads the lock file to learn the database kind, which a first migration lacks.
    const lockfile = { ...migrationsList.lockfile, content: migrationsList.lockfile.content ?? lockfileContent("postgresql") };
    const { exitCode, stdout } = await engine.diff({
      from: { tag: "migrations", ...migrationsList, lockfile },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    if (exitCode === 0 || !stdout) {
      throw new Error(`No migration created: ${schemaPath} has no changes that the existing migrations do not already make`);
    }
    const folder = path.join(migrationsList.baseDir, `${timestamp(new Date())}_${name}`);
    await mkdir(migrationsList.baseDir, { recursive: true });
    await mkdir(folder);
    await writeFile(path.join(folder, "migration.sql"), stdout);
    await writeFile(path.join(migrationsList.baseDir, lockfileName), lockfileContent("postgresql"));
    return folder;
  });
}

/** Drops everything in the database, Prisma's migration history included, then applies every migration. */
export async function resetDatabase(target: DatabaseTarget, paths: MigrationPaths = {}): Promise<string[]> {
  return withEngine(target, paths, async (engine, migrationsList) => {
    await engine.reset({ filter: noFilters });
    const { appliedMigrationNames } = await applyMigrations(engine, { migrationsList, filters: noFilters });
    return appliedMigrationNames;
  });
}

async function withEngine<T>(
  target: DatabaseTarget,
  paths: MigrationPaths,
  work: (engine: SchemaEngine, migrationsList: MigrationList, schema: string) => Promise<T>,
): Promise<T> {
  const schemaPath = paths.schemaPath ?? defaultSchemaPath;
  const schema = await readFile(schemaPath, "utf8");
  const migrationsList = await readMigrations(paths.migrationsDir ?? defaultMigrationsDir);
  const { engine, close } = await openSchemaEngine(target, [[schemaPath, schema]]);
  try {
    return await work(engine, migrationsList, schema);
  } catch (error) {
    // The engine rejects with Errors of this name, their messages ending in a Rust span trace.
    throw error instanceof Error && error.name === "SchemaConnectorError" ? toSchemaEngineError(error) : error;
  } finally {
    await close();
  }
}

/** The migrations folder as Prisma's CLI hands it to the engine. */
async function readMigrations(baseDir: string): Promise<MigrationList> {
  const lockfile = await readFile(path.join(baseDir, lockfileName), "utf8").catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const migrationDirectories = await Promise.all(
    folders
      .sort((a, b) => a.localeCompare(b))
      .map(async (folder) => ({
        path: folder,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(baseDir, folder, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      })),
  );
  return { baseDir, lockfile: { path: lockfileName, content: lockfile }, shadowDbInitScript: "", migrationDirectories };
}

function lockfileContent(provider: string): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/** yyyymmddhhmmss in UTC, as Prisma names migration folders. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}
