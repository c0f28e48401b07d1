import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { projectRoot } from "../../src/config.js";

/**
 * Processes a test starts run in a process group of their own (npm → sh → node is three
 * processes), so that stopping one stops everything it started. Each group is listed in the run's
 * registry folder until it is gone: if a test worker dies before its afterAll runs, the global
 * teardown (tests/setup/processes.global.ts) kills whatever is still listed.
 */
export interface ManagedProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Both streams, interleaved as they arrived. */
  output(): string;
  /** Resolves with the exit code (null when ended by a signal) once the process and its output have ended. */
  readonly exited: Promise<number | null>;
  /** Resolves with the first match of the pattern in the output; rejects if the process exits first or the wait runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves with the exit code. Safe to call twice. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  cwd?: string;
}

const running = new Set<number>();

/** Last resort when the worker exits without its afterAll (a crash, process.exit): no group outlives it. */
process.on("exit", () => {
  for (const group of running) killGroup(group, "SIGKILL");
});

function registryFolder(): string | undefined {
  try {
    return inject("processRegistry");
  } catch {
    // Outside a vitest worker (a script importing the helpers): nothing to register with.
    return undefined;
  }
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function startProcess(command: string, args: string[], options: StartOptions = {}): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const group = child.pid;
  if (group === undefined) throw new Error(`could not start ${command}`);
  running.add(group);
  const registry = registryFolder();
  const entry = registry && path.join(registry, String(group));
  if (entry) writeFileSync(entry, [command, ...args].join(" "));

  const streams = { stdout: "", stderr: "", both: "" };
  const listeners = new Set<() => void>();
  const collect = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    streams[stream] += text;
    streams.both += text;
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", collect("stdout"));
  child.stderr.on("data", collect("stderr"));

  // The output pipes close when every process of the group has ended. Whatever the leader leaves
  // behind gets a grace period to finish (a server draining after npm, its parent, has gone), and
  // is then killed.
  const LEFTOVER_GRACE_MS = 30_000;
  let leftovers: NodeJS.Timeout | undefined;
  child.on("exit", () => (leftovers = setTimeout(() => killGroup(group, "SIGKILL"), LEFTOVER_GRACE_MS).unref()));
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(leftovers);
      hasExited = true;
      running.delete(group);
      if (entry) rmSync(entry, { force: true });
      for (const listener of listeners) listener();
      resolve(code);
    });
  });

  return {
    pid: group,
    stdout: () => streams.stdout,
    stderr: () => streams.stderr,
    output: () => streams.both,
    exited,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const finish = (settle: () => void) => {
          listeners.delete(check);
          clearTimeout(timer);
          settle();
        };
        const check = () => {
          const match = pattern.exec(streams.both);
          if (match) finish(() => resolve(match));
          else if (hasExited) finish(() => reject(new Error(`${command} exited before printing ${pattern}:\n${streams.both}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms:\n${streams.both}`))),
          timeoutMs,
        );
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 30_000) {
      if (!hasExited) {
        killGroup(group, "SIGTERM");
        const timer = setTimeout(() => killGroup(group, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end and reports how it ended instead of throwing. A command still running
 * after `timeoutMs` is killed with everything it started, and says so on stderr.
 */
export async function runToEnd(command: string, args: string[], options: StartOptions & { timeoutMs: number }): Promise<CommandResult> {
  const child = startProcess(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop(0);
  }, options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, stdout: child.stdout(), stderr: child.stderr() + (timedOut ? `\n[killed after ${options.timeoutMs} ms]` : "") };
}
