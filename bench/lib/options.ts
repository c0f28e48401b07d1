import { parseArgs } from "node:util";

export type Backend = "postgres" | "pglite";

export interface BenchOptions {
  backend: Backend;
  /** A PostgreSQL user that may create databases; the bench makes its own database there and drops it. */
  adminUrl: string;
  stories: number;
  /** Seconds of measured load per scenario. */
  duration: number;
  /** Seconds of discarded load before each measurement, so JIT, caches and pools are warm. */
  warmup: number;
  connections: number;
}

export const USAGE = `usage: npm run bench -- [--backend postgres|pglite] [--stories 500] [--duration 10] [--warmup 2] [--connections 10]
                          [--database-url postgresql://postgres@127.0.0.1:5432/postgres]`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return parsed;
}

export function parseOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: "string" },
      "database-url": { type: "string" },
      stories: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const backend = values.backend ?? "postgres";
  if (backend !== "postgres" && backend !== "pglite") throw new Error(`--backend must be postgres or pglite, got "${backend}"`);
  const adminUrl = values["database-url"] ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  // The bench creates and drops databases and saturates what it talks to: never a shared server.
  if (!LOOPBACK.has(new URL(adminUrl).hostname))
    throw new Error(`--database-url must point at this machine (127.0.0.1), got "${adminUrl}"`);
  const connections = wholeNumber("connections", values.connections, 10, 1, 200);
  // Each connection of the write scenario holds one story at a time, and a run that ends strands
  // the one it holds; warmup plus measurement must still leave every connection a free story.
  const minStories = Math.max(20, 3 * connections);
  const stories = wholeNumber("stories", values.stories, 500, minStories, 20_000);
  return {
    backend,
    adminUrl,
    stories,
    duration: wholeNumber("duration", values.duration, 10, 1, 300),
    warmup: wholeNumber("warmup", values.warmup, 2, 0, 60),
    connections,
  };
}
