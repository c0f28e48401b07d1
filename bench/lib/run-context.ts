import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadAverage } from "./proc.js";

/** What every bench script shares: its log, its cleanup on any way out, and what it says about the machine. */

export const log = (message: string) => console.error(`[bench] ${message}`);

// Whatever ends the run (the end, an error, Ctrl-C), everything it started is stopped exactly
// once, newest first: servers before the cluster they use.
const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      await cleanup().catch((error) => log(`cleanup failed: ${error instanceof Error ? error.message : error}`));
    }
  })();
  return cleaning;
}

// Ctrl-C reaches this process twice, from the terminal and relayed by tsx: every signal must wait
// for the cleanup rather than fall back to the default of exiting at once.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (!cleaning) log(`${signal}: stopping servers and clusters`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.on("uncaughtException", (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(1));
});
process.on("unhandledRejection", (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(1));
});

/** Runs the bench's main function, then cleans up, whether it succeeded or not; sets the exit code. */
export async function runMain(main: () => Promise<boolean>): Promise<void> {
  try {
    const valid = await main();
    await cleanUp();
    if (!valid) process.exitCode = 1;
  } catch (error) {
    console.error(error);
    await cleanUp();
    process.exitCode = 1;
  }
}

export interface MachineState {
  at: string;
  loadAverage: [number, number, number];
  /** The busiest processes not started by this run, as `ps` shows them. */
  busiest: string[];
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function machineState(): MachineState {
  const ps = execFileSync("ps", ["-eo", "pcpu,etime,args", "--sort=-pcpu", "--no-headers"], { encoding: "utf8" });
  const busiest = ps
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && Number(line.split(/\s+/)[0]) >= 5)
    .slice(0, 8)
    .map((line) => line.slice(0, 160));
  return { at: new Date().toISOString(), loadAverage: loadAverage(), busiest };
}

export function describeLoad(before: MachineState, after: MachineState): string {
  const averages = (state: MachineState) => state.loadAverage.map((value) => value.toFixed(2)).join(" / ");
  return `load average (1 / 5 / 15 min) before: ${averages(before)}, after: ${averages(after)}`;
}

/** bench/results/<timestamp>-<kind>.json; the folder is git-ignored. */
export async function writeResults(kind: string, startedAt: string, results: unknown): Promise<string> {
  const folder = path.join(import.meta.dirname, "..", "results");
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${startedAt.replace(/[:.]/g, "-")}-${kind}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

/** Enough digits to tell numbers apart without pretending to more precision than a benchmark has. */
export function rounded(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
}
