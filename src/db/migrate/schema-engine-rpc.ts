// What prisma/schema-engine runs: a stand-in for Prisma's native schema-engine binary, which cannot
// be downloaded here. Prisma's CLI starts it in one of two ways (see node_modules/prisma/build/cli.js):
//   --datasource '{"url":...}' cli can-connect-to-database | create-database
//   --datamodels <schema file>... --datasource '{"url":...}'   then JSON-RPC, one message a line,
//                                                              requests on stdin, replies on stdout
// and reads JSON log lines from stderr. Requests go to Prisma's own schema engine compiled to
// WebAssembly, on the app's driver adapters, so the CLI works offline on PGlite and PostgreSQL.
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { CreateMigrationInput, EvaluateDataLossInput } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { databaseTargetFromPrismaUrl, type DatabaseTarget } from "../../config.js";
import {
  applyMigrations,
  engineVersion,
  openSchemaEngine,
  SchemaEngineError,
  toSchemaEngineError,
  type SchemaEngine,
} from "./schema-engine.js";

interface Arguments {
  datamodels: string[];
  url: string;
  cliCommand: string | undefined;
}

interface Request {
  id?: number;
  method?: string;
  params?: unknown;
}

export async function main(argv: string[]): Promise<number> {
  // A Rust panic surfaces as an uncaught exception; 101 is the native engine's panic exit code.
  process.on("uncaughtException", (error) => {
    logError(error);
    process.exit(101);
  });
  try {
    // `prisma version` shows this line.
    if (argv[0] === "--version") {
      process.stdout.write(`schema-engine-cli ${await engineVersion()} (WebAssembly)\n`);
      return 0;
    }
    const args = parseArguments(argv);
    const target = databaseTargetFromPrismaUrl(args.url);
    if (args.cliCommand === undefined) await serve(target, args.datamodels);
    else await runCliCommand(args.cliCommand, target);
    return 0;
  } catch (error) {
    logError(error);
    return 1;
  }
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { datamodels: [], url: "", cliCommand: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case "--datamodels":
        args.datamodels.push(value ?? "");
        break;
      case "--datasource":
        args.url = (JSON.parse(value ?? "{}") as { url?: string }).url ?? "";
        break;
      case "cli":
        args.cliCommand = value;
        break;
      // Nothing the WebAssembly engine can use.
      case "--enabled-preview-features":
      case "--extension-types":
        break;
      default:
        throw new Error(`Unknown argument ${argv[i]}`);
    }
    i++;
  }
  if (!args.url) throw new Error("No datasource URL: set datasource.url in prisma.config.ts");
  return args;
}

async function runCliCommand(command: string, target: DatabaseTarget): Promise<void> {
  // The CLI skips the first stderr line, where the native engine announces itself, before it
  // looks for an error.
  log("INFO", { message: `Starting schema engine CLI: ${command}` });
  if (command !== "can-connect-to-database" && command !== "create-database") {
    throw new Error(`Unsupported command: cli ${command}`);
  }
  // PGlite creates its data folder when it opens it.
  if (target.kind === "pglite") return;
  const url = new URL(target.url);
  const name = decodeURIComponent(url.pathname.slice(1)) || "postgres";
  if (command === "can-connect-to-database") {
    await withClient(target.url, async () => {}).catch((error: { code?: string }) => {
      // Prisma's code for a missing database: the CLI then offers to create it.
      if (error.code === "3D000") throw new SchemaEngineError(`Database \`${name}\` does not exist on ${url.host}`, "P1003");
      throw error;
    });
    return;
  }
  url.pathname = "/postgres";
  await withClient(url.toString(), (client) => client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`));
}

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function serve(target: DatabaseTarget, datamodelPaths: string[]): Promise<void> {
  const datamodels = await Promise.all(datamodelPaths.map(async (path): Promise<[string, string]> => [path, await readFile(path, "utf8")]));
  const { engine, close } = await openSchemaEngine(target, datamodels, (line) => process.stderr.write(`${line}\n`));
  // The CLI ends stdin and, on Linux, kills the engine at once; closing first keeps PGlite's
  // data folder from being left mid-write.
  let closing: Promise<void> | undefined;
  const shutdown = () => (closing ??= close());
  process.once("SIGTERM", () => void shutdown().finally(() => process.exit(0)));

  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const request = JSON.parse(line) as Request;
    // Messages without a method answer our own print requests.
    if (request.method === undefined) continue;
    write(await respond(engine, request));
  }
  await shutdown();
}

async function respond(engine: SchemaEngine, { id, method, params }: Request): Promise<object> {
  try {
    const handler = method === undefined ? undefined : methods[method];
    if (!handler) throw new Error(`${method} is not supported by Prisma's WebAssembly schema engine`);
    return { jsonrpc: "2.0", id, result: (await handler(engine, params as never)) ?? null };
  } catch (error) {
    const { message, code } = toSchemaEngineError(error);
    // The shape the CLI reads: it prints data.message, prefixed by data.error_code.
    const data = { is_panic: false, message, error_code: code };
    return { jsonrpc: "2.0", id, error: { code: 4466, message: "An error happened. Check the data field for details.", data } };
  }
}

const methods: Record<string, (engine: SchemaEngine, params: never) => Promise<unknown>> = {
  applyMigrations: (engine, params) => applyMigrations(engine, params),
  createMigration: async (engine, params: CreateMigrationInput) => {
    await fillMigrationSchemaCache(engine, params);
    return engine.createMigration(params);
  },
  dbExecute: (engine, params) => engine.dbExecute(params),
  devDiagnostic: (engine, params) => engine.devDiagnostic(params),
  diagnoseMigrationHistory: (engine, params) => engine.diagnoseMigrationHistory(params),
  ensureConnectionValidity: (engine, params) => engine.ensureConnectionValidity(params),
  evaluateDataLoss: async (engine, params: EvaluateDataLossInput) => {
    await fillMigrationSchemaCache(engine, params);
    return engine.evaluateDataLoss(params);
  },
  getDatabaseVersion: (engine) => engine.version(),
  introspect: (engine, params) => engine.introspect(params),
  introspectSql: (engine, params) => engine.introspectSql(params),
  markMigrationApplied: (engine, params) => engine.markMigrationApplied(params),
  markMigrationRolledBack: (engine, params) => engine.markMigrationRolledBack(params),
  reset: (engine, params) => engine.reset(params),
  schemaPush: (engine, params) => engine.schemaPush(params),
  // The native engine prints a diff through a print request to the CLI; this one returns it.
  diff: async (engine, params) => {
    const { exitCode, stdout } = await engine.diff(params);
    if (stdout) write({ jsonrpc: "2.0", id: nextPrintId++, method: "print", params: { content: stdout.replace(/\n$/, "") } });
    return { exitCode };
  },
};

let nextPrintId = 1;

// These two have no shadow database of their own in the WebAssembly engine: they read the schema
// the migrations produce from a cache, which devDiagnostic leaves empty while migrations are
// pending (the first `migrate dev` after a pull). Diagnosing with the shadow database fills it.
async function fillMigrationSchemaCache(engine: SchemaEngine, { migrationsList, filters }: EvaluateDataLossInput): Promise<void> {
  await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters });
}

function write(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function logError(error: unknown): void {
  const { message, code } = toSchemaEngineError(error);
  log("ERROR", code ? { message, error_code: code } : { message });
}

/** A log line as the native engine writes them to stderr, which is where the CLI reads errors. */
function log(level: "INFO" | "ERROR", fields: { message: string; error_code?: string }): void {
  process.stderr.write(`${JSON.stringify({ level, fields, target: "schema_engine::logger" })}\n`);
}
