import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { createEphemeralCluster, dropLeftoverClusters, type Cluster } from "./lib/cluster.js";
import { CONTENDERS, type ContenderKey, type HttpRequest } from "./lib/contenders.js";
import { createDatabase, migrate, onDatabase } from "./lib/database.js";
import { generateNewsroom, type GenerationReport } from "./lib/generate.js";
import { ensureLoadGenerator, runLoad, type LoadResult } from "./lib/load.js";
import { COMPARE_USAGE, parseCompareOptions, type CompareOptions } from "./lib/options.js";
import { firstDifference, PAGE_NAMES, PAGE_TITLES, POSTGRAPHILE_SETUP_SQL, type PageName, type PageRequest } from "./lib/pages.js";
import { ensurePeerInstalled, PEER_PACKAGES, type PeerName } from "./lib/peers.js";
import { cpuSecondsBetween, cpuSecondsOf } from "./lib/proc.js";
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
  spread,
  writeResults,
  type Machine,
  type MachineState,
  type Spread,
} from "./lib/run-context.js";
import { startServer, stopLeftoverServers, type ServerProcess } from "./lib/server-process.js";
import { StatementCounter } from "./lib/statements.js";

/**
 * `npm run bench`: the API against the same reads done by hand with pg, and by PostGraphile 4 and
 * 5, on one generated database in a PostgreSQL cluster of the bench's own. See bench/README.md.
 */

const DATABASE = "newsroom";
/** The load generator drops its connections at the end of a window with requests in flight; they finish during this pause. */
const SETTLE_MS = 1000;

interface Measurement {
  rep: number;
  contender: ContenderKey;
  page: PageName;
  load: LoadResult;
  serverCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  statementsPerRequest: number;
  /** The statements behind one request, most frequent first: calls in the window ÷ requests. */
  statements: { perRequest: number; query: string }[];
  pssMiB: number;
  /** CPU seconds of each of the contender's node processes over the window: whether the load reached them all. */
  cpuSecondsPerProcess: number[];
  databaseConnections: number;
  /** The load generator (wrk) over the window, 100 = one core: near 100, it is the limit. */
  loadGeneratorCpuPercent: number;
}

interface Summary {
  contender: ContenderKey;
  page: PageName;
  requestsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  serverCpuMsPerRequest: Spread;
  postgresCpuMsPerRequest: Spread;
  statementsPerRequest: Spread;
  pssMiB: Spread;
  databaseConnections: number;
  cacheHitShare: Spread;
}

interface Ratio {
  page: PageName;
  of: ContenderKey;
  to: ContenderKey;
  /** Requests per second of `of` ÷ those of `to`, per repetition. */
  throughput: Spread;
  /** p99 latency of `of` ÷ that of `to`, per repetition. */
  p99: Spread;
  /** CPU per request (server + PostgreSQL) of `of` ÷ that of `to`, per repetition. */
  cpuPerRequest: Spread;
}

interface CompareReport {
  startedAt: string;
  options: CompareOptions;
  machine: Machine;
  postgres: string;
  peers: typeof PEER_PACKAGES;
  machineBefore: MachineState;
  machineAfter: MachineState;
  generation: GenerationReport;
  slugCoverage: SlugCoverage;
  cache: Partial<Record<ContenderKey, string>>;
  serverPssAfterStartMiB: Partial<Record<ContenderKey, number>>;
  /** The sum of each process's peak resident size: an upper bound of their peak together. */
  serverPeakRssMiB: Partial<Record<ContenderKey, number>>;
  summaries: Summary[];
  ratios: Ratio[];
  measurements: Measurement[];
  errors: string[];
}

const RATIOS: [ContenderKey, ContenderKey][] = [
  ["api", "raw-pg"],
  ["api", "postgraphile4"],
  ["api", "postgraphile5"],
  ["api-cached", "api"],
  ["api-cached", "raw-pg"],
];

interface SlugCoverage {
  slugs: number;
  withAnonymousSource: number;
  withUnconfirmedAttribution: number;
  withoutLeadPhoto: number;
  withoutAttributions: number;
}

/** Published stories spread evenly over the archive, newest first, and one story the public may not see. */
async function pickStories(url: string, count: number): Promise<{ slugs: string[]; unpublishedSlug: string; coverage: SlugCoverage }> {
  return onDatabase(url, async (client) => {
    const { rows } = await client.query<{
      slug: string;
      anonymous: boolean;
      unconfirmed: boolean;
      no_lead: boolean;
      no_attributions: boolean;
    }>(
      `WITH published AS (
         SELECT id, slug, row_number() OVER (ORDER BY published_at DESC, id DESC) AS n, count(*) OVER () AS total
         FROM stories WHERE status = 'PUBLISHED')
       SELECT slug,
              EXISTS (SELECT 1 FROM attributions a JOIN sources s ON s.id = a.source_id WHERE a.story_id = p.id AND a.confirmed AND s.kind = 'ANONYMOUS') AS anonymous,
              EXISTS (SELECT 1 FROM attributions a WHERE a.story_id = p.id AND NOT a.confirmed) AS unconfirmed,
              NOT EXISTS (SELECT 1 FROM story_photos sp WHERE sp.story_id = p.id AND sp.role = 'LEAD') AS no_lead,
              NOT EXISTS (SELECT 1 FROM attributions a WHERE a.story_id = p.id) AS no_attributions
       FROM published p WHERE (n - 1) % greatest(1, total / $1) = 0 ORDER BY n LIMIT $1`,
      [count],
    );
    const unpublished = await client.query<{ slug: string }>(`SELECT slug FROM stories WHERE status <> 'PUBLISHED' ORDER BY id LIMIT 1`);
    const countOf = (test: (row: (typeof rows)[number]) => boolean) => rows.filter(test).length;
    return {
      slugs: rows.map((row) => row.slug),
      unpublishedSlug: unpublished.rows[0]!.slug,
      coverage: {
        slugs: rows.length,
        withAnonymousSource: countOf((row) => row.anonymous),
        withUnconfirmedAttribution: countOf((row) => row.unconfirmed),
        withoutLeadPhoto: countOf((row) => row.no_lead),
        withoutAttributions: countOf((row) => row.no_attributions),
      },
    };
  });
}

interface Workload {
  requests: HttpRequest[];
  /** Per request: the length in bytes of the answer that passed the content check. */
  lengths: number[];
}

async function send(server: ServerProcess, request: HttpRequest): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${server.baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/**
 * Asks every contender for every page the load will ask for (and a story the public may not see),
 * and compares the content with the first contender's answer (the API's, when it runs). Returns
 * each contender's workload, with the lengths its valid answers have; throws on any difference.
 */
async function checkContent(
  servers: Map<ContenderKey, ServerProcess>,
  pages: Record<PageName, PageRequest[]>,
  hidden: PageRequest,
): Promise<Map<ContenderKey, Record<PageName, Workload>>> {
  const answers = new Map<ContenderKey, { content: unknown[]; lengths: number[] }>();
  const everyPage = [...pages.front, ...pages.story, hidden];
  await Promise.all(
    [...servers].map(async ([key, server]) => {
      const contender = CONTENDERS[key];
      const content: unknown[] = [];
      const lengths: number[] = [];
      for (const page of everyPage) {
        const { status, text } = await send(server, contender.request(page));
        if (status !== 200) throw new Error(`${contender.label} answered ${status} for ${JSON.stringify(page)}: ${text.slice(0, 500)}`);
        content.push(contender.content(page, JSON.parse(text)));
        lengths.push(Buffer.byteLength(text));
      }
      answers.set(key, { content, lengths });
    }),
  );
  const [referenceKey, ...others] = [...servers.keys()];
  const reference = answers.get(referenceKey!)!;
  const differences: string[] = [];
  for (const key of others) {
    const { content } = answers.get(key)!;
    everyPage.forEach((page, i) => {
      const difference = firstDifference(reference.content[i], content[i]);
      if (difference)
        differences.push(
          `${CONTENDERS[key].label} differs from ${CONTENDERS[referenceKey!].label} on ${JSON.stringify(page)}: ${difference}`,
        );
    });
  }
  if (differences.length > 0) {
    throw new Error(
      `the contenders do not return the same content:\n${differences.slice(0, 20).join("\n")}${differences.length > 20 ? `\n… ${differences.length - 20} more` : ""}`,
    );
  }
  return new Map(
    [...answers].map(([key, { lengths }]) => {
      const contender = CONTENDERS[key];
      const workload = (requests: PageRequest[], offset: number): Workload => ({
        requests: requests.map((page) => contender.request(page)),
        lengths: lengths.slice(offset, offset + requests.length),
      });
      return [key, { front: workload(pages.front, 0), story: workload(pages.story, pages.front.length) }];
    }),
  );
}

/**
 * What the server tells caches, from a front page asked for once more than it has server processes
 * (each keeps a cache of its own, and connections go to them in turn); says plainly when it does not cache.
 */
async function describeCaching(server: ServerProcess, request: HttpRequest, processes: number): Promise<string> {
  for (let i = 0; i < processes; i += 1) await send(server, request);
  const { headers } = await send(server, request);
  const seen = ["cache-control", "age", "x-cache"].map((name) => `${name}: ${headers.get(name) ?? "(none)"}`).join(", ");
  const cached = headers.get("age") !== null || /hit/i.test(headers.get("x-cache") ?? "");
  return `${cached ? "served the repeated request from its cache" : "did not serve the repeated request from a cache"} (${seen})`;
}

async function measure(
  cluster: Cluster,
  counter: StatementCounter,
  server: ServerProcess,
  workload: Workload,
  options: CompareOptions,
): Promise<Omit<Measurement, "rep" | "contender" | "page">> {
  const load = { connections: options.connections };
  if (options.warmup > 0) {
    await runLoad(server.baseUrl, workload.requests, workload.lengths, { ...load, seconds: options.warmup });
    await sleep(SETTLE_MS);
  }
  const statementsBefore = await counter.snapshot();
  const postgresBefore = cluster.cpu();
  const processes = server.processes();
  const cpuBefore = processes.map(cpuSecondsOf);
  const result = await runLoad(server.baseUrl, workload.requests, workload.lengths, { ...load, seconds: options.duration });
  // The requests still in flight when the window closed finish in this pause; their costs count,
  // and so do they (result.sent).
  await sleep(SETTLE_MS);
  const cpuAfter = processes.map(cpuSecondsOf);
  const processesAfter = server.processes();
  // A process that ended in the window took its CPU time with it, and one that replaced it would count its start-up as work.
  if (processesAfter.join() !== processes.join() || cpuAfter.some((seconds) => seconds === 0)) {
    throw new Error(
      `${server.name}: a server process ended during the measurement (${processes.join(", ")} before, ${processesAfter.join(", ")} after)`,
    );
  }
  const cpuSecondsPerProcess = cpuAfter.map((seconds, i) => seconds - cpuBefore[i]!);
  const serverSeconds = cpuSecondsPerProcess.reduce((sum, seconds) => sum + seconds, 0);
  const postgresSeconds = cpuSecondsBetween(postgresBefore, cluster.cpu());
  const statements = StatementCounter.between(statementsBefore, await counter.snapshot());
  return {
    load: result,
    serverCpuMsPerRequest: (serverSeconds * 1000) / result.sent,
    postgresCpuMsPerRequest: (postgresSeconds * 1000) / result.sent,
    statementsPerRequest: statements.total / result.sent,
    statements: statements.statements.slice(0, 20).map(({ query, calls }) => ({ perRequest: calls / result.sent, query })),
    pssMiB: server.memory().pssMiB,
    cpuSecondsPerProcess,
    databaseConnections: server.databaseConnections(cluster.port),
    loadGeneratorCpuPercent: (result.generatorCpuSeconds / result.seconds) * 100,
  };
}

function summarize(measurements: Measurement[], options: CompareOptions): { summaries: Summary[]; ratios: Ratio[] } {
  const summaries: Summary[] = [];
  for (const page of PAGE_NAMES) {
    for (const contender of options.contenders) {
      const ms = measurements.filter((m) => m.page === page && m.contender === contender);
      const of = (value: (m: Measurement) => number) => spread(ms.map(value));
      summaries.push({
        contender,
        page,
        requestsPerSecond: of((m) => m.load.requestsPerSecond),
        p50Ms: of((m) => m.load.latencyMs.p50),
        p99Ms: of((m) => m.load.latencyMs.p99),
        serverCpuMsPerRequest: of((m) => m.serverCpuMsPerRequest),
        postgresCpuMsPerRequest: of((m) => m.postgresCpuMsPerRequest),
        statementsPerRequest: of((m) => m.statementsPerRequest),
        pssMiB: of((m) => m.pssMiB),
        databaseConnections: Math.max(...ms.map((m) => m.databaseConnections)),
        cacheHitShare: of((m) => m.load.cacheHits / m.load.requests),
      });
    }
  }
  const ratios: Ratio[] = [];
  const cpu = (m: Measurement) => m.serverCpuMsPerRequest + m.postgresCpuMsPerRequest;
  for (const page of PAGE_NAMES) {
    for (const [of, to] of RATIOS) {
      if (!options.contenders.includes(of) || !options.contenders.includes(to)) continue;
      const pairs = Array.from({ length: options.reps }, (_, i) => {
        const find = (key: ContenderKey) => measurements.find((m) => m.rep === i + 1 && m.page === page && m.contender === key)!;
        return [find(of), find(to)] as const;
      });
      ratios.push({
        page,
        of,
        to,
        throughput: spread(pairs.map(([a, b]) => a.load.requestsPerSecond / b.load.requestsPerSecond)),
        p99: spread(pairs.map(([a, b]) => a.load.latencyMs.p99 / b.load.latencyMs.p99)),
        cpuPerRequest: spread(pairs.map(([a, b]) => cpu(a) / cpu(b))),
      });
    }
  }
  return { summaries, ratios };
}

const range = (s: Spread, format: (value: number) => string = rounded) =>
  s.min === s.max ? format(s.median) : `${format(s.median)} (${format(s.min)}–${format(s.max)})`;

function markdown(report: CompareReport): string {
  const { options, machine, generation } = report;
  const lines = [
    `## The API against raw pg and PostGraphile: ${options.stories.toLocaleString("en-US")} published stories`,
    "",
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}, ${report.postgres}; ` +
      `PostGraphile ${PEER_PACKAGES.postgraphile4.postgraphile} and ${PEER_PACKAGES.postgraphile5.postgraphile}. ` +
      `${options.connections} connections, ${options.reps} interleaved repetitions of ${options.duration} s (after ${options.warmup} s of warm-up) ` +
      `per contender and page; story pages rotate over ${options.slugs} stories; ` +
      `${options.processes} server process${options.processes === 1 ? "" : "es"} per contender; peers' pool size ${options.poolSize} per process (the API's, 10). ` +
      `Generating the data took ${fixed(generation.seconds, 0)} s. Machine ${describeLoad(report.machineBefore, report.machineAfter)}.`,
    "",
    "Each cell is the median of the repetitions, with the lowest and highest in parentheses.",
  ];
  for (const page of PAGE_NAMES) {
    lines.push(
      "",
      `### ${PAGE_TITLES[page][0]!.toUpperCase()}${PAGE_TITLES[page].slice(1)}`,
      "",
      "| contender | req/s | p50 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | SQL statements/req | DB connections | PSS MiB |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const s of report.summaries.filter((summary) => summary.page === page)) {
      lines.push(
        `| ${CONTENDERS[s.contender].label} | ${range(s.requestsPerSecond)} | ${range(s.p50Ms)} | ${range(s.p99Ms)} | ${range(s.serverCpuMsPerRequest)} | ` +
          `${range(s.postgresCpuMsPerRequest)} | ${rounded(s.statementsPerRequest.median)} | ${s.databaseConnections} | ${fixed(s.pssMiB.median, 0)} |`,
      );
    }
  }
  if (report.ratios.length > 0) {
    lines.push(
      "",
      "### Ratios",
      "",
      "Per repetition, then the median (lowest–highest): throughput is req/s of the first ÷ req/s of the second (below 1: the first serves fewer); " +
        "p99 is the first's p99 latency ÷ the second's (above 1: the first is slower); " +
        "CPU is CPU time per request, server process and PostgreSQL together, of the first ÷ the second (above 1: the first costs more).",
      "",
      `| | ${PAGE_NAMES.map((page) => `${PAGE_TITLES[page]}: throughput | ${PAGE_TITLES[page]}: p99 | ${PAGE_TITLES[page]}: CPU per request`).join(" | ")} |`,
      `| --- | ${PAGE_NAMES.map(() => "---: | ---: | ---:").join(" | ")} |`,
    );
    for (const [of, to] of RATIOS) {
      const row = PAGE_NAMES.map((page) => report.ratios.find((r) => r.page === page && r.of === of && r.to === to));
      if (row.some((ratio) => !ratio)) continue;
      lines.push(
        `| ${CONTENDERS[of].label} ÷ ${CONTENDERS[to].label} | ${row.map((r) => `${range(r!.throughput)} | ${range(r!.p99)} | ${range(r!.cpuPerRequest)}`).join(" | ")} |`,
      );
    }
  }
  for (const [key, description] of Object.entries(report.cache)) {
    const hits = report.summaries
      .filter((s) => s.contender === key)
      .map((s) => `${PAGE_TITLES[s.page]} ${fixed(s.cacheHitShare.median * 100, 0)}%`);
    lines.push(
      "",
      `${CONTENDERS[key as ContenderKey].label}: the server ${description}; answers marked as cache hits under load: ${hits.join(", ")}.`,
    );
  }
  if (report.errors.length > 0) lines.push("", `**Errors, so these numbers are not valid:** ${report.errors.join("; ")}`);
  return lines.join("\n");
}

async function main(options: CompareOptions): Promise<boolean> {
  const startedAt = new Date().toISOString();
  const machineBefore = machineState();
  log(`machine ${describeLoad(machineBefore, machineBefore).replace(/, after.*/, "")}`);
  const peers = options.contenders.filter((key): key is PeerName => key in PEER_PACKAGES);
  for (const peer of peers) await ensurePeerInstalled(peer, log);
  await ensureLoadGenerator(log);

  stopLeftoverServers(log);
  await dropLeftoverClusters(log);
  const cluster = await createEphemeralCluster();
  onCleanup(() => cluster.drop());
  log(`cluster ${cluster.name} on port ${cluster.port}`);
  const url = await createDatabase(cluster, DATABASE);
  await migrate(url);
  log(`generating ${options.stories} published stories`);
  const generation = await generateNewsroom(url, { published: options.stories, connections: os.cpus().length, log });
  log(`generated in ${generation.seconds.toFixed(0)} s`);
  await onDatabase(url, (client) => client.query(POSTGRAPHILE_SETUP_SQL));
  const postgres = await onDatabase(
    url,
    async (client) => (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version,
  );
  const { slugs, unpublishedSlug, coverage } = await pickStories(url, options.slugs);
  log(`story pages: ${JSON.stringify(coverage)}`);
  const counter = await StatementCounter.open(cluster.url("postgres"), DATABASE);
  onCleanup(() => counter.close());

  const servers = new Map<ContenderKey, ServerProcess>();
  const serverPssAfterStartMiB: CompareReport["serverPssAfterStartMiB"] = {};
  for (const key of options.contenders) {
    const server = await startServer(CONTENDERS[key].server(url, options.poolSize, options.processes));
    onCleanup(() => server.stop());
    servers.set(key, server);
    serverPssAfterStartMiB[key] = server.memory().pssMiB;
    log(`${server.name}: pid ${server.pid} at ${server.baseUrl}`);
  }

  const pages: Record<PageName, PageRequest[]> = { front: [{ page: "front" }], story: slugs.map((slug) => ({ page: "story", slug })) };
  const workloads = await checkContent(servers, pages, { page: "story", slug: unpublishedSlug });
  log(`every contender returns the same content for the front page and ${slugs.length} story pages`);
  const cache: CompareReport["cache"] = {};
  for (const key of ["api", "api-cached"] as const) {
    const server = servers.get(key);
    if (server) cache[key] = await describeCaching(server, CONTENDERS[key].request({ page: "front" }), options.processes);
  }
  for (const [key, description] of Object.entries(cache)) log(`${CONTENDERS[key as ContenderKey].label}: ${description}`);

  const measurements: Measurement[] = [];
  const errors: string[] = [];
  for (let rep = 1; rep <= options.reps; rep += 1) {
    // Interleaved, and each repetition starts with a different contender, so that drift in the
    // machine's load falls on all of them alike.
    const shift = (rep - 1) % options.contenders.length;
    const order = [...options.contenders.slice(shift), ...options.contenders.slice(0, shift)];
    for (const page of PAGE_NAMES) {
      for (const key of order) {
        const measured = await measure(cluster, counter, servers.get(key)!, workloads.get(key)![page], options);
        measurements.push({ rep, contender: key, page, ...measured });
        const { load } = measured;
        log(
          `rep ${rep}, ${PAGE_TITLES[page]}, ${CONTENDERS[key].label}: ${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.latencyMs.p50.toFixed(2)} ms, ` +
            `p99 ${load.latencyMs.p99.toFixed(2)} ms, ${measured.statementsPerRequest.toFixed(2)} SQL/req, load generator ${measured.loadGeneratorCpuPercent.toFixed(0)}% CPU`,
        );
        if (load.errors.connection + load.errors.invalid > 0) {
          errors.push(
            `${CONTENDERS[key].label}, ${PAGE_TITLES[page]}, rep ${rep}: ${load.errors.connection} connection errors, ${load.errors.invalid} invalid (${load.errors.firstInvalid})`,
          );
        }
      }
    }
  }

  const serverPeakRssMiB: CompareReport["serverPeakRssMiB"] = {};
  for (const [key, server] of servers) serverPeakRssMiB[key] = server.memory().peakRssMiB;
  await cleanUp();
  const report: CompareReport = {
    startedAt,
    options,
    machine: describeMachine(),
    postgres: `PostgreSQL ${postgres}`,
    peers: PEER_PACKAGES,
    machineBefore,
    machineAfter: machineState(),
    generation,
    slugCoverage: coverage,
    cache,
    serverPssAfterStartMiB,
    serverPeakRssMiB,
    ...summarize(measurements, options),
    measurements,
    errors,
  };
  console.log(markdown(report));
  log(`results: ${await writeResults("compare", startedAt, report)}`);
  for (const error of errors) log(`error: ${error}`);
  return errors.length === 0;
}

function optionsOrExit(): CompareOptions {
  try {
    const parsed = parseCompareOptions(process.argv.slice(2));
    if (parsed !== "help") return parsed;
    console.log(COMPARE_USAGE);
    process.exit(0);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${COMPARE_USAGE}`);
    process.exit(2);
  }
}

const options = optionsOrExit();
await runMain(() => main(options));
