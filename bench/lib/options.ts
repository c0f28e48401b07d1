import os from "node:os";
import { parseArgs } from "node:util";
import { CONTENDER_KEYS, type ContenderKey } from "./contenders.js";

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replace(/_/g, ""));
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return parsed;
}

export interface CompareOptions {
  /** Published stories in the generated database. */
  stories: number;
  /** Interleaved repetitions: each one measures every contender on every page once. */
  reps: number;
  /** Seconds of measured load per contender, page and repetition. */
  duration: number;
  /** Seconds of discarded load before each measurement, so JIT, caches and pools are warm. */
  warmup: number;
  connections: number;
  /** Story pages rotate over this many published stories, spread over the archive. */
  slugs: number;
  /** Connections in the pg Pool of each peer process; the API's own is pg's default, 10. */
  poolSize: number;
  /**
   * Server processes of each contender, sharing its port: one per core by default, as each would
   * be deployed (a Node process uses one core; the API's SERVER_PROCESSES, node:cluster for peers).
   */
  processes: number;
  contenders: ContenderKey[];
}

/** pg's default pool size, which the API gets through Prisma's pg adapter. */
export const DEFAULT_POOL_SIZE = 10;

export const COMPARE_USAGE = `usage: npm run bench -- [--stories 10000] [--reps 3] [--duration 10] [--warmup 3] [--connections 10]
                          [--slugs 500] [--pool-size 10] [--processes <cores>] [--contenders ${CONTENDER_KEYS.join(",")}]`;

export function parseCompareOptions(argv: string[]): CompareOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      stories: { type: "string" },
      reps: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      slugs: { type: "string" },
      "pool-size": { type: "string" },
      processes: { type: "string" },
      contenders: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const contenders = (values.contenders ?? CONTENDER_KEYS.join(",")).split(",").map((key) => key.trim());
  for (const key of contenders) {
    if (!(CONTENDER_KEYS as readonly string[]).includes(key))
      throw new Error(`--contenders: unknown "${key}"; choose from ${CONTENDER_KEYS.join(", ")}`);
  }
  const stories = wholeNumber("stories", values.stories, 10_000, 100, 1_000_000);
  const connections = wholeNumber("connections", values.connections, 10, 1, 200);
  const processes = wholeNumber("processes", values.processes, os.availableParallelism(), 1, 64);
  // A keep-alive connection stays with the process that accepted it, and node:cluster hands them out in turn.
  if (connections % processes !== 0) {
    throw new Error(
      `--connections (${connections}) must be a multiple of --processes (${processes}), so that every server process gets as many`,
    );
  }
  return {
    stories,
    reps: wholeNumber("reps", values.reps, 3, 1, 50),
    duration: wholeNumber("duration", values.duration, 10, 1, 600),
    warmup: wholeNumber("warmup", values.warmup, 3, 0, 120),
    connections,
    processes,
    slugs: wholeNumber("slugs", values.slugs, 500, 1, stories),
    poolSize: wholeNumber("pool-size", values["pool-size"], DEFAULT_POOL_SIZE, 1, 50),
    // In the fixed order, so the reference for the content check and the ratios is always the API when it runs.
    contenders: CONTENDER_KEYS.filter((key) => contenders.includes(key)),
  };
}

export interface ScaleOptions {
  sizes: number[];
  /** Measured runs of each request; the report gives their median. */
  runs: number;
  rebuild: boolean;
  drop: boolean;
}

export const SCALE_USAGE = `usage: npm run bench:scale -- [--sizes 100000,1000000] [--runs 15] [--rebuild]
       npm run bench:scale -- --drop      drop the kept cluster and its databases`;

export function parseScaleOptions(argv: string[]): ScaleOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string" },
      runs: { type: "string" },
      rebuild: { type: "boolean" },
      drop: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const sizes = (values.sizes ?? "100000,1000000").split(",").map((size) => wholeNumber("sizes", size.trim(), 0, 1000, 1_000_000));
  return { sizes, runs: wholeNumber("runs", values.runs, 15, 1, 1000), rebuild: values.rebuild ?? false, drop: values.drop ?? false };
}
