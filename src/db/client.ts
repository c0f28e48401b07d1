import type { ArgType, SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Logger } from "pino";
import type { DatabaseTarget } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import { openDatabase } from "./adapter.js";
import { connectReplicas, type ReplicaCheck } from "./replicas.js";
import type { Notifications } from "./notifications.js";

export type Database = PrismaClient;
/** The client handed to services inside a transaction. */
export type Transaction = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * One statement as it stands, sent through the driver adapter below a client, with its rows as
 * arrays of column values: for the public pages' statements (src/public-read/), whose answer
 * PostgreSQL writes whole. Around such a statement, Prisma's raw-query path cost the server about
 * a third of each request's CPU (0.47 ms per front page, 0.31–0.35 ms without it); the adapter
 * below it is the one Prisma uses, with the same pool and prepared statements. Its errors are the
 * adapter's own (a DriverAdapterError, not Prisma's P-codes), which src/errors.ts maps alike.
 */
export type StatementRunner = (sql: string, args: readonly (string | number)[]) => Promise<unknown[][]>;

const statementRunners = new WeakMap<Database, StatementRunner>();

/** The statement runner below a client that connectDatabase made: the primary's or a replica's. */
export function statementRunnerOf(db: Database): StatementRunner {
  const runner = statementRunners.get(db);
  if (!runner) throw new Error("This client was not made by connectDatabase, which gives each client its statement runner");
  return runner;
}

const argTypeOf = (arg: string | number): ArgType => ({ scalarType: typeof arg === "string" ? "string" : "int", arity: "scalar" });

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
  const newClient = async (factory: SqlDriverAdapterFactory) => {
    // The adapter the client connects, kept for its statement runner until the client disposes of it.
    let connected: SqlDriverAdapter | undefined;
    const connect = async () => {
      const adapter = await factory.connect();
      const dispose = adapter.dispose.bind(adapter);
      connected = Object.assign(adapter, {
        dispose: async () => {
          if (connected === adapter) connected = undefined;
          await dispose();
        },
      });
      return connected;
    };
    const client = new PrismaClient({
      adapter: { provider: factory.provider, adapterName: factory.adapterName, connect },
      log: options.onQuery ? [{ emit: "event", level: "query" }] : [],
      transactionOptions: DEFAULT_TRANSACTION_LIMITS,
    });
    const onQuery = options.onQuery;
    if (onQuery) (client as PrismaClient<"query">).$on("query", (event) => onQuery(event.query, event.params));
    statementRunners.set(client, async (sql, args) => {
      // As Prisma does for its own queries, a client disconnected connects again.
      if (!connected) await client.$connect();
      if (!connected) throw new Error("The database client did not connect its adapter");
      // As Prisma's query log gives them, so that tests count these statements with the rest.
      onQuery?.(sql, JSON.stringify(args));
      const { rows } = await connected.queryRaw({ sql, args: [...args], argTypes: args.map(argTypeOf) });
      return rows;
    });
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
