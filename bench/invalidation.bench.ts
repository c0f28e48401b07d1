import os from "node:os";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { connectDatabase } from "../src/db/client.js";
import { issueTokenForName } from "../src/users/user.service.js";
import { createEphemeralCluster, dropLeftoverClusters } from "./lib/cluster.js";
import { apiGet, CONTENDERS, type HttpRequest } from "./lib/contenders.js";
import { createDatabase, migrate, onDatabase } from "./lib/database.js";
import { generateNewsroom } from "./lib/generate.js";
import { ensureLoadGenerator, percentile, runLoad, type LoadResult } from "./lib/load.js";
import { API_FRONT_PAGE, API_STORY_PAGE } from "./lib/pages.js";
import {
  cleanUp,
  describeLoad,
  describeMachine,
  fixed,
  log,
  machineState,
  onCleanup,
  rounded,
  runMain,
  writeResults,
  type Machine,
  type MachineState,
} from "./lib/run-context.js";
import { startServer, stopLeftoverServers, type ServerProcess } from "./lib/server-process.js";

/**
 * `npm run bench:invalidation`: how long a change made through one API instance takes to reach
 * the public through another's response cache, and what a cache hit costs against a miss. Two
 * instances with the cache on share one database in a PostgreSQL cluster of the bench's own;
 * a third runs with the cache off, and the raw pg server of `npm run bench` gives the floor.
 */

const DATABASE = "newsroom";
const SETTLE_MS = 1000;
/** A round whose change has not shown after this long is an error: the cache kept stale content. */
const FRESHNESS_LIMIT_MS = 10_000;
/** Enough distinct requests that none repeats within a window of misses. */
const DISTINCT_MISSES = 50_000;

const USAGE = `usage: npm run bench:invalidation -- [--stories 1000] [--rounds 200] [--duration 10] [--warmup 3] [--connections 10]`;

interface Options {
  stories: number;
  /** Changes made through instance A, each timed until instance B serves it. */
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      stories: { type: "string" },
      rounds: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const whole = (name: keyof typeof values, fallback: number, min: number, max: number) => {
    const value = values[name];
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return parsed;
  };
  return {
    stories: whole("stories", 1000, 100, 1_000_000),
    rounds: whole("rounds", 200, 1, 10_000),
    duration: whole("duration", 10, 1, 600),
    warmup: whole("warmup", 3, 0, 120),
    connections: whole("connections", 10, 1, 200),
  };
}

const UPDATE_SUMMARY = `mutation UpdateSummary($id: ID!, $v: Int!, $summary: String!) {
  updateStory(id: $id, expectedVersion: $v, input: { summary: $summary }) { story { version } } }`;

interface Round {
  /** From the moment A's answer to the change arrived (the change had committed) to the first read on B that showed it. */
  ms: number;
  /** Reads of B after the commit that still gave the old content. */
  staleReads: number;
}

interface CostRow {
  label: string;
  load: LoadResult;
  serverCpuMsPerRequest: number;
  /** The load generator (wrk) over the window, 100 = one core: near 100, it is the limit, not the server. */
  loadGeneratorCpuPercent: number;
}

interface InvalidationReport {
  startedAt: string;
  options: Options;
  machine: Machine;
  machineBefore: MachineState;
  machineAfter: MachineState;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Rounds whose first read on B after the commit was still the old, cached content. */
  roundsWithStaleReads: number;
  rounds: Round[];
  costs: CostRow[];
  errors: string[];
}

async function get(server: ServerProcess, request: HttpRequest) {
  const response = await fetch(`${server.baseUrl}${request.path}`, { headers: request.headers });
  const body = (await response.json()) as { data?: { story?: { summary: string | null } | null } };
  return { cache: response.headers.get("x-cache"), summary: body.data?.story?.summary };
}

/** Times each change through A until B serves it; B has the story page cached before each change. */
async function timeInvalidations(
  a: ServerProcess,
  b: ServerProcess,
  stories: { id: string; slug: string; version: number }[],
  token: string,
  rounds: number,
): Promise<Round[]> {
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const story = stories[round % stories.length]!;
    const page = apiGet(API_STORY_PAGE, { slug: story.slug });
    // B holds the page: the read after the change is a hit unless the invalidation got there first.
    for (let tries = 0; (await get(b, page)).cache !== "HIT"; tries += 1) {
      if (tries > 100) throw new Error(`instance B does not cache ${story.slug}`);
    }
    const summary = `Invalidation round ${round} at ${Date.now()}`;
    const response = await fetch(`${a.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: UPDATE_SUMMARY, variables: { id: story.id, v: story.version, summary } }),
    });
    const committed = performance.now();
    const answer = (await response.json()) as { data?: { updateStory: { story: { version: number } } }; errors?: unknown };
    if (!answer.data) throw new Error(`the change through A failed: ${JSON.stringify(answer.errors)}`);
    story.version = answer.data.updateStory.story.version;
    let staleReads = 0;
    while ((await get(b, page)).summary !== summary) {
      staleReads += 1;
      if (performance.now() - committed > FRESHNESS_LIMIT_MS)
        throw new Error(`B still served the old summary ${FRESHNESS_LIMIT_MS} ms after the commit`);
    }
    results.push({ ms: performance.now() - committed, staleReads });
  }
  return results;
}

/** The requests of a workload: the same for warm-up and measurement, or for misses, none the same. */
interface Workload {
  warmup: HttpRequest[];
  measured: HttpRequest[];
}

async function measureCost(
  server: ServerProcess,
  label: string,
  { warmup, measured: requests }: Workload,
  options: Options,
): Promise<CostRow> {
  // Every request of a workload has an answer of the same length as its first: the same page.
  const first = await fetch(`${server.baseUrl}${warmup[0]!.path}`, { headers: warmup[0]!.headers });
  const length = Buffer.byteLength(await first.text());
  const lengthsOf = (list: HttpRequest[]) => list.map(() => length);
  const load = { connections: options.connections };
  if (options.warmup > 0) {
    await runLoad(server.baseUrl, warmup, lengthsOf(warmup), { ...load, seconds: options.warmup });
    await sleep(SETTLE_MS);
  }
  const cpuBefore = server.cpuSeconds();
  const result = await runLoad(server.baseUrl, requests, lengthsOf(requests), { ...load, seconds: options.duration });
  await sleep(SETTLE_MS);
  const row = {
    label,
    load: result,
    serverCpuMsPerRequest: ((server.cpuSeconds() - cpuBefore) * 1000) / result.sent,
    loadGeneratorCpuPercent: (result.generatorCpuSeconds / result.seconds) * 100,
  };
  log(
    `${label}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, ` +
      `${row.serverCpuMsPerRequest.toFixed(3)} server CPU ms/req, ${((result.cacheHits / result.requests) * 100).toFixed(0)}% hits, ` +
      `load generator ${row.loadGeneratorCpuPercent.toFixed(0)}% CPU`,
  );
  return row;
}

function markdown(report: InvalidationReport): string {
  const { options, latencyMs, machine } = report;
  const lines = [
    `## Response cache: invalidation across instances, and the cost of a hit`,
    "",
    `${machine.cpus} × ${machine.cpuModel}, node ${machine.node}; ${options.stories.toLocaleString("en-US")} published stories; ` +
      `machine ${describeLoad(report.machineBefore, report.machineAfter)}.`,
    "",
    `### A change through instance A, first fresh public read on instance B (${options.rounds} rounds)`,
    "",
    "From A's answer to `updateStory` (the change has committed) to the first anonymous story page read on B that shows it, " +
      "B reading back to back, with the page in B's cache before each change.",
    "",
    "| p50 ms | p90 ms | p99 ms | max ms | rounds whose first read after the commit was still the cached old page |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${fixed(latencyMs.p50, 2)} | ${fixed(latencyMs.p90, 2)} | ${fixed(latencyMs.p99, 2)} | ${fixed(latencyMs.max, 2)} | ${report.roundsWithStaleReads} of ${report.rounds.length} |`,
    "",
    `### A hit against a miss (${options.connections} connections, ${options.duration} s after ${options.warmup} s of warm-up)`,
    "",
    "| workload | req/s | p50 ms | p99 ms | server CPU ms/req | hits | load generator CPU |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.costs.map(
      (row) =>
        `| ${row.label} | ${rounded(row.load.requestsPerSecond)} | ${fixed(row.load.latencyMs.p50, 2)} | ${fixed(row.load.latencyMs.p99, 2)} | ` +
        `${fixed(row.serverCpuMsPerRequest, 3)} | ${fixed((row.load.cacheHits / row.load.requests) * 100, 0)}% | ${fixed(row.loadGeneratorCpuPercent, 0)}% |`,
    ),
  ];
  if (report.errors.length > 0) lines.push("", `**Errors, so these numbers are not valid:** ${report.errors.join("; ")}`);
  return lines.join("\n");
}

async function main(options: Options): Promise<boolean> {
  const startedAt = new Date().toISOString();
  const machineBefore = machineState();
  await ensureLoadGenerator(log);
  stopLeftoverServers(log);
  await dropLeftoverClusters(log);
  const cluster = await createEphemeralCluster();
  onCleanup(() => cluster.drop());
  const url = await createDatabase(cluster, DATABASE);
  await migrate(url);
  log(`generating ${options.stories} published stories in cluster ${cluster.name}`);
  await generateNewsroom(url, { published: options.stories, connections: os.cpus().length, log });
  const stories = await onDatabase(
    url,
    async (client) =>
      (
        await client.query<{ id: string; slug: string; version: number }>(
          `SELECT id, slug, version FROM stories WHERE status = 'PUBLISHED' ORDER BY published_at DESC, id DESC LIMIT 50`,
        )
      ).rows,
  );
  const handle = await connectDatabase({ kind: "postgres", url });
  const { token } = await issueTokenForName(handle.prisma, { name: "Invalidation Bench", role: "EDITOR" }).finally(() => handle.close());

  const start = async (name: string, responseCache: "on" | "off") => {
    const spec = CONTENDERS.api.server(url, 10, 1);
    const server = await startServer({ ...spec, name, env: { ...spec.env, RESPONSE_CACHE: responseCache } });
    onCleanup(() => server.stop());
    log(`${name}: pid ${server.pid} at ${server.baseUrl}`);
    return server;
  };
  const a = await start("instance A (cache on)", "on");
  const b = await start("instance B (cache on)", "on");

  const errors: string[] = [];
  log(`timing ${options.rounds} changes through A until B serves them`);
  const rounds = await timeInvalidations(a, b, stories, token, options.rounds).catch((error: Error) => {
    errors.push(error.message);
    return [];
  });
  const sorted = Float64Array.from(rounds.map((round) => round.ms)).sort();
  const latencyMs = { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
  log(`A → B: p50 ${fixed(latencyMs.p50, 2)} ms, p99 ${fixed(latencyMs.p99, 2)} ms, max ${fixed(latencyMs.max, 2)} ms`);
  await a.stop();

  const off = await start("cache off", "off");
  const rawPg = await startServer(CONTENDERS["raw-pg"].server(url, 10, 1));
  onCleanup(() => rawPg.stop());
  const story = stories[0]!;
  const storyPage = apiGet(API_STORY_PAGE, { slug: story.slug });
  const frontPage = apiGet(API_FRONT_PAGE);
  const same = (request: HttpRequest): Workload => ({ warmup: [request], measured: [request] });
  // An extra variable the query does not declare changes nothing in the answer, but makes every
  // request a key of its own; warm-up and measurement get different ones.
  const distinct = (document: string, variables: Record<string, unknown>): Workload => {
    const requests = (from: number) =>
      Array.from({ length: DISTINCT_MISSES }, (_, i) => apiGet(document, { ...variables, miss: from + i }));
    return { warmup: requests(0), measured: requests(DISTINCT_MISSES) };
  };
  const costs: CostRow[] = [];
  for (const [label, server, workload] of [
    ["front page, hit", b, same(frontPage)],
    ["front page, miss (stored)", b, distinct(API_FRONT_PAGE, {})],
    ["front page, cache off", off, same(frontPage)],
    ["front page, raw pg + JSON", rawPg, same(CONTENDERS["raw-pg"].request({ page: "front" }))],
    ["story page, hit", b, same(storyPage)],
    ["story page, miss (stored)", b, distinct(API_STORY_PAGE, { slug: story.slug })],
    ["story page, cache off", off, same(storyPage)],
    ["story page, raw pg + JSON", rawPg, same(CONTENDERS["raw-pg"].request({ page: "story", slug: story.slug }))],
  ] as const) {
    const row = await measureCost(server, label, workload, options);
    costs.push(row);
    if (row.load.errors.connection + row.load.errors.invalid > 0)
      errors.push(
        `${label}: ${row.load.errors.connection} connection errors, ${row.load.errors.invalid} invalid (${row.load.errors.firstInvalid})`,
      );
  }
  await cleanUp();

  const report: InvalidationReport = {
    startedAt,
    options,
    machine: describeMachine(),
    machineBefore,
    machineAfter: machineState(),
    latencyMs,
    roundsWithStaleReads: rounds.filter((round) => round.staleReads > 0).length,
    rounds,
    costs,
    errors,
  };
  console.log(markdown(report));
  log(`results: ${await writeResults("invalidation", startedAt, report)}`);
  for (const error of errors) log(`error: ${error}`);
  return errors.length === 0;
}

function optionsOrExit(): Options {
  try {
    const parsed = parseOptions(process.argv.slice(2));
    if (parsed !== "help") return parsed;
    console.log(USAGE);
    process.exit(0);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    process.exit(2);
  }
}

const options = optionsOrExit();
await runMain(() => main(options));
