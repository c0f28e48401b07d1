import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { projectRoot } from "../../src/config.js";
import { connectionsTo, cpuSecondsOf, isRunning, memoryOf, nodeProcessesOf } from "./proc.js";

const STARTUP_TIMEOUT_MS = 120_000;
const SHUTDOWN_GRACE_SECONDS = 5;

export interface ServerProcess {
  name: string;
  /** http://127.0.0.1:<port>, without a path. */
  baseUrl: string;
  pid: number;
  /** The node processes that serve it: the one started, and those it started with node:cluster. */
  processes(): number[];
  /** Summed over its processes: proportional set size now, and each one's peak resident size (an upper bound of their peak together). */
  memory(): { pssMiB: number; peakRssMiB: number };
  /** Summed over its processes; one that has ended since no longer counts, so a window compares the same processes (processes()). */
  cpuSeconds(): number;
  /** Connections its server processes hold open to the database server's port: their pools as they stand. */
  databaseConnections(databasePort: number): number;
  /** SIGTERM, the way a deployment stops it; SIGKILL if it has not exited in time. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** A TypeScript entry point, relative to the project root, run as `npm run serve` runs the API: node with tsx. */
  script: string;
  env: Record<string, string>;
  /** Whether the server answers as it should yet; polled until it does. */
  ready(baseUrl: string): Promise<boolean>;
  /** Server processes sharing its port (1 by default); above 1, a supervisor starts them. */
  processes?: number;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Servers still running; whatever way this process exits, none outlives it. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Nothing runs when the bench is killed with SIGKILL. The bench's own servers then exit by
 * themselves (peers/peer-server.ts), but the API cannot be told to, so every server is listed
 * here, as <bench pid>-<server pid> holding its command line, until it has exited; the next run
 * kills what a run that is gone left behind.
 */
const REGISTRY = path.join(import.meta.dirname, "..", ".data", "servers");

export function stopLeftoverServers(log: (message: string) => void): void {
  if (!existsSync(REGISTRY)) return;
  for (const entry of readdirSync(REGISTRY)) {
    const [owner, pid] = entry.split("-").map(Number);
    if (isRunning(owner!)) continue;
    const file = path.join(REGISTRY, entry);
    let commandLine: string | null = null;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      // Gone already.
    }
    // The same command line, so not another process that got the pid since.
    if (commandLine === readFileSync(file, "utf8")) {
      log(`stopping server ${pid}, left behind by a bench run that is gone`);
      process.kill(pid!, "SIGKILL");
    }
    rmSync(file, { force: true });
  }
}

function sumOver<T>(items: T[], measure: (item: T) => number): number {
  return items.reduce((sum, item) => sum + measure(item), 0);
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts a server in a process of its own, so that its CPU and memory are its own and the load
 * generator is not in its event loop, in production mode on 127.0.0.1 and a free port. The
 * node process itself is the child (no npm or shell in between), so its pid is what is measured.
 */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const processes = spec.processes ?? 1;
  // Only what the spec says reaches the server about databases and caching, whatever the shell has set.
  const { DATABASE_URL: _url, PGLITE_DATA_DIR: _dir, TEST_DATABASE_URL: _test, RESPONSE_CACHE: _cache, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    // Request logging would measure the logger and the pipe; warnings and errors still show.
    LOG_LEVEL: "warn",
    SHUTDOWN_GRACE_SECONDS: String(SHUTDOWN_GRACE_SECONDS),
    ...spec.env,
  };
  // Its output goes to stderr, keeping stdout for the results.
  const args = ["--import", "tsx", spec.script];
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ["ignore", 2, 2] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.name}`);
  running.add(child);
  mkdirSync(REGISTRY, { recursive: true });
  const registered = path.join(REGISTRY, `${process.pid}-${pid}`);
  writeFileSync(registered, [process.execPath, ...args, ""].join("\0"));
  child.once("exit", () => {
    running.delete(child);
    rmSync(registered, { force: true });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (hasExited(child)) return;
    child.kill("SIGTERM");
    const backstop = setTimeout(() => child.kill("SIGKILL"), (SHUTDOWN_GRACE_SECONDS + 10) * 1000);
    await exited(child);
    clearTimeout(backstop);
  };
  const server: ServerProcess = {
    name: spec.name,
    baseUrl,
    pid,
    processes: () => nodeProcessesOf(pid),
    memory: () => {
      // A process that ended between listing and reading holds nothing.
      const each = nodeProcessesOf(pid)
        .map(memoryOf)
        .filter((one) => !Number.isNaN(one.pssMiB));
      return { pssMiB: sumOver(each, (one) => one.pssMiB), peakRssMiB: sumOver(each, (one) => one.peakRssMiB) };
    },
    cpuSeconds: () => sumOver(nodeProcessesOf(pid), cpuSecondsOf),
    databaseConnections: (databasePort) => sumOver(nodeProcessesOf(pid), (one) => connectionsTo(one, databasePort)),
    stop,
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${spec.name} exited during startup (code ${child.exitCode}, signal ${child.signalCode})`);
    // Each server process is up, besides the supervisor, before the first answer counts: one may answer before the others listen.
    const upToCount = server.processes().length === (processes === 1 ? 1 : processes + 1);
    if (upToCount && (await spec.ready(baseUrl).catch(() => false))) return server;
    await sleep(200);
  }
  await stop();
  throw new Error(`${spec.name} did not become ready within ${STARTUP_TIMEOUT_MS / 1000} s`);
}
