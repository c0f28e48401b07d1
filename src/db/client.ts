import type { DatabaseTarget } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import { openDatabase } from "./adapter.js";

export type Database = PrismaClient;
/** The client handed to services inside a transaction. */
export type Transaction = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DatabaseHandle {
  prisma: Database;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * Called with every SQL statement sent and its parameters (JSON, as Prisma logs them); tests
   * count statements to catch N+1 reads, and explain them to see which index they use.
   */
  onQuery?: (sql: string, params: string) => void;
}

export async function connectDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const database = await openDatabase(target);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: options.onQuery ? [{ emit: "event", level: "query" }] : [],
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as PrismaClient<"query">).$on("query", (event) => onQuery(event.query, event.params));
  }
  await prisma.$connect();
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
