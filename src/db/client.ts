import type { DatabaseTarget } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import { openDatabase } from "./adapter.js";
import type { Notifications } from "./notifications.js";

export type Database = PrismaClient;
/** The client handed to services inside a transaction. */
export type Transaction = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DatabaseHandle {
  prisma: Database;
  /** LISTEN/NOTIFY between every process on this database; closed with it. */
  notifications: Notifications;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called with every SQL statement sent; tests count them to catch N+1 reads. */
  onQuery?: (sql: string) => void;
}

export async function connectDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const database = await openDatabase(target);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: options.onQuery ? [{ emit: "event", level: "query" }] : [],
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as PrismaClient<"query">).$on("query", (event) => onQuery(event.query));
  }
  await prisma.$connect();
  return {
    prisma,
    notifications: database.notifications,
    close: async () => {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
