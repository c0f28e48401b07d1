import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseTarget } from "../config.js";
import { PgAdapterFactory, PGliteAdapterFactory } from "./adapter-fixes.js";

export interface OpenDatabase {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

/** The one place that picks the embedded PGlite database or a PostgreSQL server. */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.kind === "postgres") {
    return { adapter: new PgAdapterFactory(target.url), close: async () => {} };
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
