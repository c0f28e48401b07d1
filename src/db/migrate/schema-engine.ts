import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { ApplyMigrationsInput, ApplyMigrationsOutput, SchemaEngine } from "@prisma/schema-engine-wasm";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DatabaseTarget } from "../../config.js";
import { openDatabase } from "../adapter.js";

export type { SchemaEngine };

/** [path, content] of each Prisma schema file; commands that read the schema panic without one. */
export type Datamodels = [string, string][];

/** Receives each of the engine's log events as one JSON line, the format the native engine prints. */
export type EngineLog = (line: string) => void;

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** An engine error, its message cut down to what a person needs, with Prisma's code (P3009...) if it had one. */
export class SchemaEngineError extends Error {
  override name = "SchemaEngineError";
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const require = createRequire(import.meta.url);

// The project's libs (ES2023, @types/node 20) do not describe WebAssembly; this is all we use.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: Record<string, object>) => { exports: { __wbindgen_start(): void } };
};

let ready: Promise<void> | undefined;

// The package's own entry imports the .wasm file as an ES module, which Node 20 cannot load.
// The glue module keeps the instance in a module-level variable, so one instance serves every
// engine in the process; compiling it again would replace the memory under live engines.
function loadWasm(): Promise<void> {
  ready ??= (async () => {
    // The engine reports a Rust panic here before it aborts; without a registry the real message
    // is lost behind a TypeError. Prisma Client installs its own when it is loaded.
    const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
    registry.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message) {
        throw new Error(`Prisma's schema engine panicked: ${message}`);
      },
    };
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const module = await WebAssembly.compile(await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm")));
    const { exports } = new WebAssembly.Instance(module, { "./schema_engine_bg.js": withUnrefTimers(bg) });
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return ready;
}

// The engine's 10-second timeout on its advisory lock (pg_advisory_lock) is never cleared and kept
// every finished script alive that long. Unreffed, it no longer does; a pending query still does.
function withUnrefTimers(glue: typeof bg): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(glue).map(([name, value]) => {
      if (!name.startsWith("__wbg_setTimeout_") || typeof value !== "function") return [name, value];
      const setTimer = value as (...args: unknown[]) => NodeJS.Timeout;
      return [name, (...args: unknown[]) => setTimer(...args).unref()];
    }),
  );
}

/** The prisma-engines commit the WebAssembly engine was built from. */
export async function engineVersion(): Promise<string> {
  await loadWasm();
  return bg.version();
}

export async function openSchemaEngine(
  target: DatabaseTarget,
  datamodels: Datamodels,
  log: EngineLog = () => {},
): Promise<OpenSchemaEngine> {
  await loadWasm();
  const database = await openDatabase(target);
  // Freeing the engine does not dispose the connections it opened; a pg pool left open keeps the
  // process alive and the database busy.
  const connections: SqlDriverAdapter[] = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: database.adapter.provider,
    adapterName: database.adapter.adapterName,
    connect: async () => {
      const connection = await database.adapter.connect();
      connections.push(connection);
      return connection;
    },
    connectToShadowDb: () => database.adapter.connectToShadowDb(),
  };
  try {
    const options = { datamodels: datamodels.length ? datamodels : undefined };
    const engine = await bg.SchemaEngine.new(options, log, bindMigrationAwareSqlAdapterFactory(factory));
    return {
      engine,
      close: async () => {
        engine.free();
        await Promise.all(connections.map((connection) => connection.dispose()));
        await database.close();
      },
    };
  } catch (error) {
    await Promise.all(connections.map((connection) => connection.dispose()));
    await database.close();
    throw toSchemaEngineError(error);
  }
}

/** Drops the span trace the engine appends to its messages ("   0: sql_schema_connector::..."). */
export function toSchemaEngineError(error: unknown, prefix = ""): SchemaEngineError {
  if (!(error instanceof Error)) return new SchemaEngineError(`${prefix}${String(error)}`);
  const message = error.message
    .split(/\n\s+0: /)[0]!
    .replace(/^external connector error\n/, "")
    .trim();
  const code = "code" in error && typeof error.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
  return new SchemaEngineError(`${prefix}${message}`, code);
}

/**
 * applyMigrations, but a failure names the migration that failed: the engine's own error only says
 * what the database refused.
 */
export async function applyMigrations(engine: SchemaEngine, input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput> {
  try {
    return await engine.applyMigrations(input);
  } catch (error) {
    const { failedMigrationNames } = await engine
      .diagnoseMigrationHistory({ migrationsList: input.migrationsList, optInToShadowDatabase: false, filters: input.filters })
      .catch(() => ({ failedMigrationNames: [] }));
    const prefix = failedMigrationNames.length ? `Migration ${failedMigrationNames.join(", ")} failed: ` : "";
    throw toSchemaEngineError(error, prefix);
  }
}
