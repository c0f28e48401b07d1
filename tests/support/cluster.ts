import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import type { DatabaseTarget } from "../../src/config.js";
import { isRunning } from "./postgres-admin.js";

const run = promisify(execFile);
const POSTGRES_VERSION = "15";
const CLUSTER_PREFIX = "newsroom_test_";

/**
 * A PostgreSQL server of a test's own (Debian's pg_createcluster), for tests that stop, start or
 * freeze the database under a running API; the shared server must never be touched that way. Its
 * name carries the vitest process of the run, like the test databases' names, so that clusters a
 * killed run left behind are dropped by the next one.
 */
export interface PostgresCluster {
  /** Its postgres database, which the test may migrate and use. */
  target: Extract<DatabaseTarget, { kind: "postgres" }>;
  /** The port it listens on at 127.0.0.1. */
  port: number;
  start(): Promise<void>;
  /** A fast shutdown, as an operator's restart does: connections are ended, new ones refused. */
  stop(): Promise<void>;
  /** Suspends every process of the server: connections open and queries are sent, but nothing answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops it whatever state it is in and deletes it. */
  drop(): Promise<void>;
}

export async function createPostgresCluster(): Promise<PostgresCluster> {
  await dropLeftoverClusters();
  return onAFreePort(async () => {
    const { name, port } = await newCluster();
    return started(name, port);
  });
}

/**
 * A streaming replica of a running cluster, made as an operator makes one: a new cluster whose
 * data folder is replaced by a base backup of the primary, taken with `pg_basebackup -R` (which
 * also writes the standby's settings: standby.signal, and primary_conninfo pointing at the
 * primary). Once started it answers read-only queries and replays what the primary writes.
 * The shared server refuses replication connections, so the primary must be a test cluster too.
 */
export function createStreamingReplica(primary: PostgresCluster): Promise<PostgresCluster> {
  return onAFreePort(() => newStreamingReplica(primary));
}

async function newStreamingReplica(primary: PostgresCluster): Promise<PostgresCluster> {
  const { name, port } = await newCluster();
  try {
    const dataDir = dataDirOf(name);
    // The server only starts on a data folder its own user owns, so the backup is taken as that user.
    const { uid, gid } = await stat(dataDir);
    await rm(dataDir, { recursive: true });
    await mkdir(dataDir, { mode: 0o700 });
    await chown(dataDir, uid, gid);
    await run(
      `/usr/lib/postgresql/${POSTGRES_VERSION}/bin/pg_basebackup`,
      // A fast checkpoint, as for any backup taken on purpose: the default spreads it over minutes.
      ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", dataDir, "-R", "--checkpoint=fast"],
      { uid, gid },
    );
  } catch (error) {
    await run("pg_dropcluster", [POSTGRES_VERSION, name]);
    throw error;
  }
  return started(name, port);
}

/**
 * The port is free when chosen, but the server binds it only when it starts; meanwhile any other
 * process of a busy machine may take it (a listener on port 0, an outgoing connection). Then the
 * cluster, already dropped, is made again on another port.
 */
async function onAFreePort(make: () => Promise<PostgresCluster>): Promise<PostgresCluster> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await make();
    } catch (error) {
      if (attempt === 3 || !/Address already in use/.test(String(error))) throw error;
    }
  }
}

async function newCluster(): Promise<{ name: string; port: number }> {
  const name = `${CLUSTER_PREFIX}${inject("testRunPid")}_${randomBytes(4).toString("hex")}`;
  const port = await freePort();
  await run("pg_createcluster", [POSTGRES_VERSION, name, "-p", String(port), "--", "-A", "trust"]);
  return { name, port };
}

/** Starts a cluster made by pg_createcluster, or drops it if it will not start. */
async function started(name: string, port: number): Promise<PostgresCluster> {
  const ctl = (...args: string[]) => run("pg_ctlcluster", [POSTGRES_VERSION, name, ...args]).then(() => {});
  const signalAll = async (signal: NodeJS.Signals) => {
    for (const pid of await serverProcesses(name)) process.kill(pid, signal);
  };
  const cluster: PostgresCluster = {
    target: { kind: "postgres", url: `postgresql://postgres@127.0.0.1:${port}/postgres` },
    port,
    start: () => ctl("start"),
    stop: () => ctl("stop", "-m", "fast"),
    freeze: () => signalAll("SIGSTOP"),
    thaw: () => signalAll("SIGCONT"),
    async drop() {
      await cluster.thaw().catch(() => {});
      await ctl("stop", "-m", "immediate").catch(() => {});
      await run("pg_dropcluster", [POSTGRES_VERSION, name, "--stop"]);
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await cluster.drop();
    throw error;
  }
  return cluster;
}

async function dropLeftoverClusters(): Promise<void> {
  const { stdout } = await run("pg_lsclusters", ["--no-header"]);
  for (const line of stdout.split("\n")) {
    const [version, name = ""] = line.trim().split(/\s+/);
    const owner = Number(new RegExp(`^${CLUSTER_PREFIX}(\\d+)_`).exec(name)?.[1]);
    if (version === POSTGRES_VERSION && Number.isInteger(owner) && !isRunning(owner)) {
      await run("pg_dropcluster", [POSTGRES_VERSION, name, "--stop"]);
    }
  }
}

/** Where pg_createcluster puts a cluster's data. */
function dataDirOf(name: string): string {
  return `/var/lib/postgresql/${POSTGRES_VERSION}/${name}`;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The postmaster (first line of its pid file) and its children, found by parent id in /proc. */
async function serverProcesses(name: string): Promise<number[]> {
  const pidFile = path.join(dataDirOf(name), "postmaster.pid");
  const postmaster = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the command name, which is in parentheses and may hold spaces: state, then parent id.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (parent === postmaster) children.push(Number(entry));
  }
  return [postmaster, ...children];
}
