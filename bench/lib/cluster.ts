import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { promisify } from "node:util";
import pg from "pg";
import { cpuOfProcessTree, isRunning } from "./proc.js";

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the bench's own (Debian's pg_createcluster), so that the shared server on
 * 5432 is never restarted or reconfigured and nobody else's queries land in the measurements.
 */
export const POSTGRES_VERSION = "15";

/**
 * Written to conf.d on every start, so the code is what decides. pg_stat_statements counts every
 * statement of every contender alike ("top": a statement a function runs inside is not counted
 * again); memory is sized for a 2-core, 24 GiB machine that others share, and the 1M-story
 * database (about 9 GB); the rest is PostgreSQL's default, JIT included, as in production.
 */
export const CLUSTER_SETTINGS: Record<string, string> = {
  listen_addresses: "127.0.0.1",
  max_connections: "200",
  shared_preload_libraries: "pg_stat_statements",
  "pg_stat_statements.track": "top",
  "pg_stat_statements.max": "10000",
  shared_buffers: "2GB",
  effective_cache_size: "8GB",
  work_mem: "32MB",
  maintenance_work_mem: "1GB",
  // Generation writes gigabytes; checkpoints every few seconds would write it all again and again.
  max_wal_size: "4GB",
  checkpoint_timeout: "15min",
};

/** Ephemeral clusters are named after the bench process, so a later run can tell leftovers from clusters in use. */
const EPHEMERAL_PREFIX = "newsroom_bench_";
const FIRST_PORT = 5490;

export interface Cluster {
  name: string;
  port: number;
  /** A connection URL for one of its databases, as the superuser (trust, loopback only). */
  url(database: string): string;
  /** CPU seconds so far of the postmaster and every process it started (backends, checkpointer, autovacuum). */
  cpu(): Map<number, number>;
  stop(): Promise<void>;
  drop(): Promise<void>;
}

interface ClusterListing {
  name: string;
  port: number;
  online: boolean;
  dataDirectory: string;
}

async function listClusters(): Promise<ClusterListing[]> {
  const { stdout } = await run("pg_lsclusters", ["--no-header"]);
  return stdout
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => line.trim().split(/\s+/))
    .filter(([version]) => version === POSTGRES_VERSION)
    .map(([, name, port, status, , dataDirectory]) => ({
      name: name!,
      port: Number(port),
      online: status === "online",
      dataDirectory: dataDirectory!,
    }));
}

async function portIsFree(port: number): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function freePort(taken: Set<number>): Promise<number> {
  for (let port = FIRST_PORT; port < FIRST_PORT + 500; port += 1) {
    if (!taken.has(port) && (await portIsFree(port))) return port;
  }
  throw new Error(`no free port for a PostgreSQL cluster from ${FIRST_PORT}`);
}

/** Drops the ephemeral clusters of bench runs that were killed before they could clean up. */
export async function dropLeftoverClusters(log: (message: string) => void): Promise<void> {
  for (const cluster of await listClusters()) {
    const owner = Number(cluster.name.slice(EPHEMERAL_PREFIX.length));
    if (cluster.name.startsWith(EPHEMERAL_PREFIX) && Number.isInteger(owner) && !isRunning(owner)) {
      log(`dropping leftover cluster ${cluster.name} of a bench run that is gone`);
      await run("pg_dropcluster", [POSTGRES_VERSION, cluster.name, "--stop"]);
    }
  }
}

async function start(listing: ClusterListing): Promise<Cluster> {
  const conf = Object.entries(CLUSTER_SETTINGS)
    .map(([key, value]) => `${key} = '${value}'`)
    .join("\n");
  writeFileSync(
    `/etc/postgresql/${POSTGRES_VERSION}/${listing.name}/conf.d/bench.conf`,
    `# Written by the newsroom bench on every start.\n${conf}\n`,
  );
  // A kept cluster left running by a run that was killed gets the settings of this one.
  await run("pg_ctlcluster", [POSTGRES_VERSION, listing.name, listing.online ? "restart" : "start"]);
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${listing.port}/${database}`;
  const admin = new pg.Client({ connectionString: url("postgres") });
  await admin.connect();
  try {
    // Counted per database from the `postgres` database, which no contender uses.
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  } finally {
    await admin.end();
  }
  const postmasterPid = () => Number(readFileSync(`${listing.dataDirectory}/postmaster.pid`, "utf8").split("\n")[0]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await run("pg_ctlcluster", [POSTGRES_VERSION, listing.name, "stop", "-m", "fast"]);
  };
  return {
    name: listing.name,
    port: listing.port,
    url,
    cpu: () => cpuOfProcessTree(postmasterPid()),
    stop,
    drop: async () => {
      stopped = true;
      await run("pg_dropcluster", [POSTGRES_VERSION, listing.name, "--stop"]);
    },
  };
}

async function create(name: string): Promise<ClusterListing> {
  const clusters = await listClusters();
  const port = await freePort(new Set(clusters.map((cluster) => cluster.port)));
  await run("pg_createcluster", [POSTGRES_VERSION, name, "--port", String(port), "--start-conf", "manual", "--", "--auth", "trust"]);
  const listing = (await listClusters()).find((cluster) => cluster.name === name);
  if (!listing) throw new Error(`pg_createcluster did not make ${name}`);
  return listing;
}

/** A new cluster for this run only, started; drop() removes it with its data. */
export async function createEphemeralCluster(): Promise<Cluster> {
  const listing = await create(`${EPHEMERAL_PREFIX}${process.pid}`);
  try {
    return await start(listing);
  } catch (error) {
    await run("pg_dropcluster", [POSTGRES_VERSION, listing.name, "--stop"]);
    throw error;
  }
}

/** The cluster of that name, made if there is none, started; stop() keeps its data for the next run. */
export async function openKeptCluster(name: string): Promise<Cluster> {
  const existing = (await listClusters()).find((cluster) => cluster.name === name);
  return start(existing ?? (await create(name)));
}

export async function keptClusterExists(name: string): Promise<boolean> {
  return (await listClusters()).some((cluster) => cluster.name === name);
}

export async function dropKeptCluster(name: string): Promise<void> {
  await run("pg_dropcluster", [POSTGRES_VERSION, name, "--stop"]);
}
