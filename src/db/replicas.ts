import { setTimeout as delay } from "node:timers/promises";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { Logger } from "pino";
import { isDatabaseUnavailable, isRecoveryConflict } from "../errors.js";
import { PgAdapterFactory } from "./adapter-fixes.js";
import type { Database } from "./client.js";

// Public reads on PostgreSQL streaming replicas. Prisma's @prisma/extension-read-replicas routes
// each query in a client extension and does not fit: its replica results break the fluent relation
// API the services use (prisma/extension-read-replicas#12), it keeps $queryRaw (search) on the
// primary, and it has no notion of a replica that stopped answering. Here the request context
// picks a whole client per request (staff: the primary; the public: a replica's), and below Prisma
// a replica's driver adapter sends what the replica cannot serve to the primary.

/** How often a replica that stopped answering is asked again. */
const RECOVERY_PROBE_MS = 1000;
/** How often a replica is asked how far it has replayed, while someone waits for it. */
const REPLAY_POLL_MS = 20;
/** How long a wait for replay lasts at most: a replica that lags further is logged and not waited for. */
const REPLAY_WAIT_LIMIT_MS = 5000;

/** What /health asks of a replica. */
export interface ReplicaCheck {
  /** Where it is, without the credentials: host:port/database. */
  readonly name: string;
  /** Resolves once the replica has answered a query. */
  ping(): Promise<void>;
}

export interface PublicReadReplicas {
  readonly replicas: readonly ReplicaCheck[];
  /** The client for one public request: each answering replica's in turn, the primary's while none answers. */
  publicReads(): Database;
  /** Resolves once every replica that public reads use has replayed the primary's WAL up to lsn. */
  replayedTo(lsn: string): Promise<void>;
  close(): Promise<void>;
}

export async function connectReplicas(options: {
  primary: Database;
  primaryUrl: string;
  replicaUrls: readonly string[];
  log: Logger;
  /** Builds and connects a Prisma client on the adapter given, as the primary's is built. */
  newClient(adapter: SqlDriverAdapterFactory): Promise<Database>;
}): Promise<PublicReadReplicas> {
  const replicas = options.replicaUrls.map((url) => new Replica(url, options.log));
  const clients = await Promise.all(replicas.map((replica) => options.newClient(replica.readsOrPrimary(options.primaryUrl))));
  let turn = 0;
  return {
    replicas,
    publicReads() {
      const answering = clients.filter((_client, index) => replicas[index]!.answering);
      if (answering.length === 0) return options.primary;
      turn = (turn + 1) % answering.length;
      return answering[turn]!;
    },
    async replayedTo(lsn) {
      const deadline = Date.now() + REPLAY_WAIT_LIMIT_MS;
      await Promise.all(replicas.map((replica) => replica.replayedTo(lsn, deadline)));
    },
    async close() {
      await Promise.all(clients.map((client) => client.$disconnect()));
      await Promise.all(replicas.map((replica) => replica.close()));
    },
  };
}

/** One streaming replica: whether it answers, and how its client's queries reach it. */
class Replica implements ReplicaCheck {
  readonly name: string;
  /** The replica's connections, shared by its client's adapter and the checks here. */
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private isAnswering = true;
  private probe: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    log: Logger,
  ) {
    const { hostname, port, pathname } = new URL(url);
    this.name = `${hostname}:${port || 5432}${pathname}`;
    this.log = log.child({ replica: this.name });
    this.pool = new pg.Pool({ connectionString: url });
    // A connection that breaks while idle is noticed by the next query on it; without a listener,
    // the pool's error event would end the process.
    this.pool.on("error", () => {});
  }

  get answering(): boolean {
    return this.isAnswering;
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  /**
   * The driver adapter of the replica's client. A query goes to the replica while it answers and to
   * the primary while it does not, including the query that found it gone, so no public read fails
   * for it; a query the replica cancels for a conflict with its replay is answered by the primary
   * too. Transactions run on the replica as well: a public request's are reads (a search under its
   * time limit), since every mutation needs staff, whose requests use the primary's client. $executeRaw
   * goes to the primary.
   */
  readsOrPrimary(primaryUrl: string): SqlDriverAdapterFactory {
    const onReplica = new PgAdapterFactory(this.url, this.pool);
    const onPrimary = new PgAdapterFactory(primaryUrl);
    return {
      provider: onReplica.provider,
      adapterName: onReplica.adapterName,
      connect: async () => {
        const [replica, primary] = await Promise.all([onReplica.connect(), onPrimary.connect()]);
        return {
          provider: replica.provider,
          adapterName: replica.adapterName,
          queryRaw: (query) =>
            this.read(
              () => replica.queryRaw(query),
              () => primary.queryRaw(query),
            ),
          executeRaw: (query) => primary.executeRaw(query),
          executeScript: (script) => primary.executeScript(script),
          startTransaction: (isolationLevel) =>
            this.read(
              () => replica.startTransaction(isolationLevel),
              () => primary.startTransaction(isolationLevel),
            ),
          getConnectionInfo: () => replica.getConnectionInfo(),
          dispose: async () => {
            await Promise.all([replica.dispose(), primary.dispose()]);
          },
        };
      },
    };
  }

  private async read<T>(onReplica: () => Promise<T>, onPrimary: () => Promise<T>): Promise<T> {
    if (!this.isAnswering) return onPrimary();
    try {
      return await onReplica();
    } catch (error) {
      if (isRecoveryConflict(error)) return onPrimary();
      if (!isDatabaseUnavailable(error)) throw error;
      this.lost(error);
      return onPrimary();
    }
  }

  private lost(error: unknown): void {
    if (!this.isAnswering || this.closed) return;
    this.isAnswering = false;
    this.log.warn({ err: error }, "replica unavailable: public reads go to the primary or another replica until it answers again");
    this.probeLater();
  }

  private probeLater(): void {
    this.probe = setTimeout(() => {
      this.ping().then(
        () => {
          this.isAnswering = true;
          this.log.info("replica answers again: public reads go to it again");
        },
        () => {
          if (!this.closed) this.probeLater();
        },
      );
    }, RECOVERY_PROBE_MS);
    this.probe.unref();
  }

  /** Waits until the replica has replayed up to lsn, stops answering (public reads then go elsewhere), or the deadline passes. */
  async replayedTo(lsn: string, deadline: number): Promise<void> {
    while (this.isAnswering) {
      try {
        const { rows } = await this.pool.query<{ replayed: boolean | null }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed", [
          lsn,
        ]);
        if (rows[0]?.replayed) return;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.lost(error);
        return;
      }
      if (Date.now() >= deadline) {
        this.log.warn({ lsn, waitedMs: REPLAY_WAIT_LIMIT_MS }, "replica has not replayed up to the LSN in time; going on without it");
        return;
      }
      await delay(REPLAY_POLL_MS);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probe);
    await this.pool.end();
  }
}
