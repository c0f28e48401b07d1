import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** What /proc says about processes, read the same way for every contender. */

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/** Fields of /proc/<pid>/stat after the command name, which is in parentheses and may hold spaces. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** CPU time used so far, user and system, all threads (GC and libuv included); 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : 0;
}

/** A field in kB of a /proc file of the process, in MiB; NaN once the process is gone. */
function mibOf(pid: number, file: "status" | "smaps_rollup", field: string): number {
  try {
    const text = readFileSync(`/proc/${pid}/${file}`, "utf8");
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * Memory in MiB: now, as the proportional set size (resident memory with each page shared with
 * other processes divided among them, so that the figures of processes sharing the node binary
 * add up to what they hold together), and the most the process has held resident since it
 * started (VmHWM).
 */
export function memoryOf(pid: number): { pssMiB: number; peakRssMiB: number } {
  return { pssMiB: mibOf(pid, "smaps_rollup", "Pss"), peakRssMiB: mibOf(pid, "status", "VmHWM") };
}

/** The pids of a process's children. */
function childrenOf(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    // The parent's pid is field 4 of the line, 2 after the command name.
    if (fields && Number(fields[1]) === parentPid) children.push(Number(entry));
  }
  return children;
}

/** The process and its children (PostgreSQL's postmaster and its backends), with their CPU seconds so far. */
export function cpuOfProcessTree(rootPid: number): Map<number, number> {
  return new Map([rootPid, ...childrenOf(rootPid)].map((pid) => [pid, cpuSecondsOf(pid)]));
}

function executableOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/**
 * A server and the server processes it started with node:cluster (its children that run node
 * too), not the helpers it runs (tsx's esbuild): what serves its requests.
 */
export function nodeProcessesOf(rootPid: number): number[] {
  const node = executableOf(rootPid);
  return [rootPid, ...childrenOf(rootPid).filter((pid) => node !== null && executableOf(pid) === node)];
}

/** CPU seconds the tree used between two readings; a process that ended in between is not counted. */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, cpu] of after) seconds += cpu - (before.get(pid) ?? 0);
  return seconds;
}

/** 1-, 5- and 15-minute load averages: how busy the machine was besides the bench. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = readFileSync("/proc/loadavg", "utf8").split(" ").map(Number);
  return [one!, five!, fifteen!];
}

/** How many TCP connections the process holds open to a port on this machine: its database pool as it stands. */
export function connectionsTo(pid: number, port: number): number {
  const sockets = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode) sockets.add(inode);
      } catch {
        // Closed while being listed.
      }
    }
  } catch {
    return 0;
  }
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  let count = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // rem_address is field 3 (address:port in hex), st field 4 (01 = established), inode field 10.
      if (fields.length > 9 && fields[2]!.endsWith(`:${portHex}`) && fields[3] === "01" && sockets.has(fields[9]!)) count += 1;
    }
  }
  return count;
}
