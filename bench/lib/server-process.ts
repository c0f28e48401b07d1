import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { projectRoot, type DatabaseTarget } from "../../src/config.js";

const STARTUP_TIMEOUT_MS = 60_000;
const SHUTDOWN_GRACE_SECONDS = 5;

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory now, and the most it has held since it started (VmHWM), in MiB. */
  memory(): { rssMiB: number; peakMiB: number };
  /** CPU time used so far, user and system, all threads (GC and libuv included). */
  cpuSeconds(): number;
  /** SIGTERM, the way a deployment stops it; SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

function cpuSecondsOf(pid: number): number {
  // The command name in parentheses may hold spaces; utime and stime are fields 14 and 15.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

/**
 * Runs the API as production does (`npm run serve`: node with tsx on src/main.ts), in a process of
 * its own, so its memory is its own and the load generator is not in its event loop.
 */
export async function startServerProcess(target: DatabaseTarget): Promise<ServerProcess> {
  const port = await freePort();
  // The bench's database, whatever the shell has set.
  const { DATABASE_URL: _url, PGLITE_DATA_DIR: _dir, TEST_DATABASE_URL: _test, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...(target.kind === "postgres" ? { DATABASE_URL: target.url } : { PGLITE_DATA_DIR: target.dataDir ?? "memory://" }),
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    // Request logging would measure pino and the pipe; warnings and errors still show.
    LOG_LEVEL: "warn",
    SHUTDOWN_GRACE_SECONDS: String(SHUTDOWN_GRACE_SECONDS),
  };

  // The server's output goes to stderr, keeping stdout for the results table.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: projectRoot, env, stdio: ["ignore", 2, 2] });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the API server process");
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    // main.ts gives in-flight requests the grace period, then exits on its own; this is the backstop.
    const backstop = setTimeout(() => child.kill("SIGKILL"), (SHUTDOWN_GRACE_SECONDS + 10) * 1000);
    await exited(child);
    clearTimeout(backstop);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the API server exited during startup (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const healthy = await fetch(`${base}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url: `${base}/graphql`, pid, memory: () => memoryOf(pid), cpuSeconds: () => cpuSecondsOf(pid), stop };
    await sleep(200);
  }
  await stop();
  throw new Error(`the API server did not become healthy within ${STARTUP_TIMEOUT_MS / 1000} s`);
}
