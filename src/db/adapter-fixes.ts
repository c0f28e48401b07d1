// The driver adapters as shipped break Prisma's schema engine (migrations) in ways the app's own
// queries never reach. These subclasses are what src/db/adapter.ts hands out.
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { preparedStatementName } from "./prepared-statements.js";
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

// The schema engine runs each migration through executeScript, and neither adapter gets a
// multi-statement script right: adapter-pg splits it on every ";" (breaking $$-quoted function
// and trigger bodies), and the PGlite adapter does not await it (a failing migration is recorded
// as applied, then the process dies of an unhandled rejection). Both databases run a whole
// script as one simple query in one implicit transaction, as Prisma's native engine does.
function runScriptsWhole<T extends SqlDriverAdapter>(adapter: T, exec: (script: string) => Promise<unknown>): T {
  return Object.assign(adapter, {
    executeScript: async (script: string) => {
      try {
        await exec(script);
      } catch (error) {
        throw asDriverAdapterError(error);
      }
    },
  });
}

/** A server error in the shape both adapters give the engine, so it reports the SQL error itself. */
function asDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof Error) || !("code" in error) || !("severity" in error)) return error;
  const { code, severity, detail, column, hint } = error as Error & Record<string, string | undefined>;
  return new DriverAdapterError({
    kind: "postgres",
    code: code ?? "N/A",
    severity: severity ?? "N/A",
    message: error.message,
    detail,
    column,
    hint,
  });
}

// adapter-pg 7.10 has no column type for PostgreSQL's internal "char" (OID 18) and throws on it.
// The schema engine's catalog queries read such columns (pg_class.relkind, pg_constraint.contype)
// and need them as characters, which is what the PGlite adapter reports.
const CHAR_OID = 18;
const TEXT_OID = 25;

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type PgQueryable = Pick<PgAdapter, "queryRaw">;
interface PgInternals {
  performIO(query: SqlQuery): Promise<pg.QueryArrayResult>;
}

function readCharColumns<T extends PgQueryable>(queryable: T): T {
  // performIO is adapter-pg's private step between the driver and the column-type mapping.
  const internals = queryable as unknown as PgInternals;
  const performIO = internals.performIO.bind(queryable);
  const charColumns = new WeakMap<unknown[], number[]>();
  internals.performIO = async (query) => {
    const result = await performIO(query);
    const columns = result.fields.flatMap((field, index) => (field.dataTypeID === CHAR_OID ? [index] : []));
    for (const index of columns) result.fields[index]!.dataTypeID = TEXT_OID;
    if (columns.length) charColumns.set(result.rows, columns);
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  return Object.assign(queryable, {
    queryRaw: async (query: SqlQuery) => {
      const result = await queryRaw(query);
      for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
      return result;
    },
  });
}

function fixPgAdapter(adapter: PgAdapter): PgAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel?: IsolationLevel) => readCharColumns(await startTransaction(isolationLevel));
  runScriptsWhole(adapter, (script) => adapter.underlyingDriver().query(script));
  return readCharColumns(adapter);
}

export class PgAdapterFactory extends PrismaPg {
  /** A pool given is the caller's to end; without one, the adapter opens and ends its own. */
  constructor(
    private readonly url: string,
    pool?: pg.Pool,
  ) {
    super(pool ?? { connectionString: url }, {
      // @ts-expect-error adapter-pg's types require a name; undefined runs the statement unnamed, as without the option.
      statementNameGenerator: (query) => preparedStatementName(query.sql),
    });
  }

  override async connect() {
    return fixPgAdapter(await super.connect());
  }

  // adapter-pg's own shadow database is unusable: its pool sets `database` next to a
  // connectionString, which pg ignores, so the engine replays every migration on the main
  // database instead. Creating migrations and `migrate dev` need a real shadow database.
  override async connectToShadowDb() {
    const server = await this.connect();
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await server.underlyingDriver().query(`CREATE DATABASE "${name}"`);
    const url = new URL(this.url);
    url.pathname = `/${name}`;
    const shadow = await new PgAdapterFactory(url.toString()).connect();
    const closeShadow = shadow.dispose.bind(shadow);
    return Object.assign(shadow, {
      dispose: async () => {
        await closeShadow();
        await server.underlyingDriver().query(`DROP DATABASE IF EXISTS "${name}"`);
        await server.dispose();
      },
    });
  }
}

export class PGliteAdapterFactory extends PrismaPGlite {
  constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  override async connect() {
    return runScriptsWhole(await super.connect(), (script) => this.pglite.exec(script));
  }

  // The adapter's own shadow database is never closed; this one closes with its adapter.
  override connectToShadowDb() {
    return inMemoryShadowDb();
  }
}

/**
 * The embedded database of a running server, reached through its socket (src/db/embedded-socket.ts)
 * with adapter-pg. Its one backend cannot create and switch to another database, so the shadow
 * database is an in-memory PGlite, as when the folder is opened directly.
 */
export function embeddedSocketAdapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const server = new PgAdapterFactory(url);
  return {
    provider: server.provider,
    adapterName: server.adapterName,
    connect: () => server.connect(),
    connectToShadowDb: inMemoryShadowDb,
  };
}

async function inMemoryShadowDb() {
  const shadow = await PGlite.create();
  const adapter = runScriptsWhole(await new PrismaPGlite(shadow).connect(), (script) => shadow.exec(script));
  return Object.assign(adapter, { dispose: () => shadow.close() });
}
