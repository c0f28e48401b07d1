import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Logger } from "pino";
import type { DatabaseTarget } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import { openDatabase } from "./adapter.js";
import { connectReplicas, type ReplicaCheck } from "./replicas.js";
import type { Notifications } from "./notifications.js";

export type Database = PrismaClient;
/** The client handed to services inside a transaction. */
export type Transaction = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DatabaseHandle {
  /** The primary: every write and transaction, and everything staff read. */
  prisma: Database;
  /**
   * The client for one public request's reads: a streaming replica's, whose copy may lag the
   * primary by moments, or the primary's when there are no replicas or none answers.
   */
  publicReads(): Database;
  /** The replicas public reads go to, for /health; none without DATABASE_REPLICA_URLS. */
  replicas: readonly ReplicaCheck[];
  /**
   * The primary's current WAL position (pg_current_wal_lsn). Taken after a commit (e.g. on the
   * NOTIFY it sent, which is delivered after the commit), it is one the commit is replayed by.
   */
  primaryWalPosition(): Promise<string>;
  /**
   * Resolves once every replica that public reads use has replayed the primary's WAL up to lsn, so
   * that a public read started then sees every commit before it. A replica that lags for more than
   * a few seconds is logged and not waited for; without replicas this resolves at once.
   */
  replicasReplayedTo(lsn: string): Promise<void>;
  /** LISTEN/NOTIFY between every process on this database; closed with it. */
  notifications: Notifications;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * Called with every SQL statement sent and its parameters (JSON, as Prisma logs them); tests
   * count statements to catch N+1 reads, and explain them to see which index they use.
   */
  onQuery?: (sql: string, params: string) => void;
  /** Streaming replicas of the target, a PostgreSQL primary, for public reads, and where to log one that stops or starts answering. */
  replicas?: { urls: readonly string[]; log: Logger };
  /** For the server on the embedded database: see OpenDatabaseOptions. */
  serveDeskCommands?: { log: Logger };
}

/**
 * For transactions that set no limits of their own (the services' set these too). The embedded
 * database serves one transaction at a time, the server's and the desk commands' in turn, so
 * waiting for the turn gets far more than Prisma's default 2 s, which a busy server's queue can
 * take: a token issued while an import runs must wait, not fail.
 */
const DEFAULT_TRANSACTION_LIMITS = { maxWait: 15_000, timeout: 30_000 };

export async function connectDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const primaryUrl = target.kind === "postgres" ? target.url : undefined;
  // loadConfig refuses this already; the check is for callers that build the options themselves.
  if (options.replicas?.urls.length && !primaryUrl)
    throw new Error("Replicas stream from a PostgreSQL primary; the embedded database has none");
  const database = await openDatabase(target, { serveDeskCommands: options.serveDeskCommands });
  const newClient = async (adapter: SqlDriverAdapterFactory) => {
    const client = new PrismaClient({
      adapter,
      log: options.onQuery ? [{ emit: "event", level: "query" }] : [],
      transactionOptions: DEFAULT_TRANSACTION_LIMITS,
    });
    if (options.onQuery) {
      const onQuery = options.onQuery;
      (client as PrismaClient<"query">).$on("query", (event) => onQuery(event.query, event.params));
    }
    await client.$connect();
    return client;
  };
  const prisma = await newClient(database.adapter);
  const replicas =
    primaryUrl && options.replicas?.urls.length
      ? await connectReplicas({ primary: prisma, primaryUrl, replicaUrls: options.replicas.urls, log: options.replicas.log, newClient })
      : undefined;
  return {
    prisma,
    publicReads: () => replicas?.publicReads() ?? prisma,
    replicas: replicas?.replicas ?? [],
    primaryWalPosition: () => walPosition(prisma),
    replicasReplayedTo: async (lsn) => {
      await replicas?.replayedTo(lsn);
    },
    notifications: database.notifications,
    close: async () => {
      await replicas?.close();
      await prisma.$disconnect();
      await database.close();
    },
  };
}

async function walPosition(db: Database): Promise<string> {
  const [row] = await db.$queryRaw<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`;
  return row!.lsn;
}
