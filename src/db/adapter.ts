import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { DatabaseTarget } from "../config.js";

export interface OpenDatabase {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

/** The one place that picks the embedded PGlite database or a PostgreSQL server. */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.kind === "postgres") {
    return { adapter: new PgAdapterFactory({ connectionString: target.url, Client: CharAsTextClient }), close: async () => {} };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pglite = await PGlite.create(target.dataDir ?? "memory://");
  return {
    adapter: new PGliteAdapterFactory(pglite),
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

// The schema engine runs each migration through executeScript, and neither adapter gets a
// multi-statement script right: adapter-pg splits it on every ";" (breaking $$-quoted function
// and trigger bodies), and the PGlite adapter does not await it (a failing migration is recorded
// as applied, then the process dies of an unhandled rejection). Both databases run a whole
// script as one simple query, in one implicit transaction, which is what Prisma's native engine does.
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

// adapter-pg 7.10 rejects PostgreSQL's internal "char" type (OID 18), which the schema engine's
// catalog queries read (pg_class.relkind and others) when it describes a database. Its values are
// one-character strings, so describing such columns as text is exact.
const CHAR_OID = 18;
const TEXT_OID = 25;

class CharAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Registered before the client's own listener, so the query sees the rewritten types.
    this.connection.on("rowDescription", (message: { fields: { dataTypeID: number }[] }) => {
      for (const field of message.fields) {
        if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
      }
    });
  }
}

class PgAdapterFactory extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    return runScriptsWhole(adapter, (script) => adapter.underlyingDriver().query(script));
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    return runScriptsWhole(adapter, (script) => adapter.underlyingDriver().query(script));
  }
}

class PGliteAdapterFactory extends PrismaPGlite {
  constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  override async connect() {
    return runScriptsWhole(await super.connect(), (script) => this.pglite.exec(script));
  }

  // The adapter's own shadow database is never closed; this one closes with its adapter.
  override async connectToShadowDb() {
    const shadow = await PGlite.create();
    const adapter = runScriptsWhole(await new PrismaPGlite(shadow).connect(), (script) => shadow.exec(script));
    return Object.assign(adapter, { dispose: () => shadow.close() });
  }
}
