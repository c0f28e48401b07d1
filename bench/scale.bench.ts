import { execFileSync } from "node:child_process";
import os from "node:os";
import pg from "pg";
import { encodeCursor } from "../src/db/pagination.js";
import { dropKeptCluster, keptClusterExists, openKeptCluster, POSTGRES_VERSION, type Cluster } from "./lib/cluster.js";
import { apiGet, CONTENDERS, type HttpRequest } from "./lib/contenders.js";
import { createDatabase, migrate, onDatabase } from "./lib/database.js";
import { generateNewsroom, generatorFingerprint, type GenerationReport } from "./lib/generate.js";
import { DEFAULT_POOL_SIZE, parseScaleOptions, SCALE_USAGE, type ScaleOptions } from "./lib/options.js";
import { API_FRONT_PAGE, compact, FRONT_PAGE_SIZE, FRONT_PAGE_STORY_FIELDS } from "./lib/pages.js";
import {
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
import { COMMON_WORD, SELECTIVE_WORD } from "./lib/vocabulary.js";

/**
 * `npm run bench:scale`: the API's list reads on 100,000 and 1,000,000 published stories, one
 * request at a time: page 1, a page deep in the archive by its keyset cursor, totalCount, and a
 * selective and a common-word search, each beside the one SQL query that reads what it needs.
 * The databases take minutes to make, so they live in a cluster that is kept between runs.
 */

const SCALE_CLUSTER = "newsroom_bench_scale";
const WARMUP_RUNS = 2;
const DEEPEST_PAGE = 500_000;
/** The order the API's public story list uses, as its cursors name it. */
const PUBLISHED_ORDER = "PUBLISHED_AT_DESC";

interface Measured {
  request: string;
  apiMs: Spread;
  postgresAloneMs: Spread;
  statementsPerRequest: number;
  statements: { perRequest: number; query: string }[];
  answer: string;
}

interface SizeReport {
  published: number;
  database: string;
  databaseBytes: number;
  reused: boolean;
  generatedAt: string;
  generation: GenerationReport;
  measurements: Measured[];
}

interface ScaleReport {
  startedAt: string;
  options: ScaleOptions;
  machine: Machine;
  machineBefore: MachineState;
  machineAfter: MachineState;
  clusterDiskBytes: number;
  sizes: SizeReport[];
}

interface GenerationRecord {
  fingerprint: string;
  generatedAt: string;
  generation: GenerationReport;
}

/** The kept database for this size, made (again) when missing, made by another generator, or when asked to. */
async function scaleDatabase(
  cluster: Cluster,
  published: number,
  rebuild: boolean,
): Promise<GenerationRecord & { name: string; reused: boolean }> {
  const name = `newsroom_scale_${published}`;
  const fingerprint = generatorFingerprint(published);
  const admin = cluster.url("postgres");
  const { rows } = await onDatabase(admin, (client) =>
    client.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    ),
  );
  const recorded = rows[0]?.comment ? (JSON.parse(rows[0].comment) as GenerationRecord) : null;
  if (recorded && recorded.fingerprint === fingerprint && !rebuild) {
    log(`${name}: kept from ${recorded.generatedAt}; ${(await migrate(cluster.url(name))).split("\n")[0]}`);
    return { ...recorded, name, reused: true };
  }
  log(`${name}: ${rebuild ? "rebuilding as asked" : recorded ? "made by another version of the generator, making it again" : "making it"}`);
  const url = await createDatabase(cluster, name);
  await migrate(url);
  const generation = await generateNewsroom(url, { published, connections: os.cpus().length, log });
  log(`${name}: ${published} stories in ${generation.seconds.toFixed(0)} s`);
  const record: GenerationRecord = { fingerprint, generatedAt: new Date().toISOString(), generation };
  // Written last: a database without it is incomplete (a run stopped while making it) and is made again.
  await onDatabase(admin, (client) => client.query(`COMMENT ON DATABASE "${name}" IS ${pg.escapeLiteral(JSON.stringify(record))}`));
  return { ...record, name, reused: false };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

type Json = Record<string, any>;

async function ask(server: ServerProcess, request: HttpRequest): Promise<Json> {
  const response = await fetch(`${server.baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  const body = JSON.parse(text) as Json;
  if (response.status !== 200 || body.errors) throw new Error(`the API answered ${response.status}: ${text.slice(0, 500)}`);
  return body.data as Json;
}

interface Probe {
  request: string;
  api: HttpRequest;
  /** What the answer says, once checked against the database; throws when it is wrong. */
  check(data: Json): string;
  sql: string;
  values: unknown[];
}

async function measure(server: ServerProcess, client: pg.Client, counter: StatementCounter, probe: Probe, runs: number): Promise<Measured> {
  for (let i = 0; i < WARMUP_RUNS; i += 1) probe.check(await ask(server, probe.api));
  const before = await counter.snapshot();
  const apiMs: number[] = [];
  let answer = "";
  for (let i = 0; i < runs; i += 1) {
    const { ms, value } = await timed(() => ask(server, probe.api));
    apiMs.push(ms);
    answer = probe.check(value);
  }
  const statements = StatementCounter.between(before, await counter.snapshot());
  for (let i = 0; i < WARMUP_RUNS; i += 1) await client.query(probe.sql, probe.values);
  const postgresAloneMs: number[] = [];
  for (let i = 0; i < runs; i += 1) postgresAloneMs.push((await timed(() => client.query(probe.sql, probe.values))).ms);
  return {
    request: probe.request,
    apiMs: spread(apiMs),
    postgresAloneMs: spread(postgresAloneMs),
    statementsPerRequest: statements.total / runs,
    statements: statements.statements.slice(0, 20).map(({ query, calls }) => ({ perRequest: calls / runs, query })),
    answer,
  };
}

const FRONT_PAGE_ROWS = `
  SELECT s.id, s.slug, s.headline, s.summary, s.credit, s.published_at, lead.caption, lead.credit AS photo_credit, lead.url
  FROM (SELECT id, slug, headline, summary, credit, published_at FROM stories WHERE status = 'PUBLISHED' %AFTER%
        ORDER BY published_at DESC NULLS LAST, id DESC LIMIT ${FRONT_PAGE_SIZE + 1}) s
  LEFT JOIN LATERAL (
    SELECT coalesce(sp.caption, p.caption) AS caption, p.credit, p.url FROM story_photos sp JOIN photos p ON p.id = sp.photo_id
    WHERE sp.story_id = s.id AND sp.role = 'LEAD' ORDER BY sp.position LIMIT 1) lead ON true`;

const SEARCH_RANKED = `
  SELECT s.id, ts_rank_cd(s.search_vector, q) AS rank FROM stories s, websearch_to_tsquery('english', $1) q
  WHERE s.search_vector @@ q AND s.status = 'PUBLISHED' ORDER BY rank DESC, s.id DESC LIMIT ${FRONT_PAGE_SIZE + 1}`;

const SEARCH = compact(`
  query Search($query: String!) {
    searchStories(query: $query, first: ${FRONT_PAGE_SIZE}) { edges { node { id slug headline summary publishedAt } } }
  }`);

const stories = (count: number) => count.toLocaleString("en-US");

/** The probes for one database, with what the database says each answer must be. */
async function probes(client: pg.Client, server: ServerProcess, published: number): Promise<Probe[]> {
  const row = async (offset: number) =>
    (
      await client.query<{ id: string; published_at: Date }>(
        "SELECT id, published_at FROM stories WHERE status = 'PUBLISHED' ORDER BY published_at DESC NULLS LAST, id DESC OFFSET $1 LIMIT 1",
        [offset],
      )
    ).rows[0]!;
  const cursorOf = (r: { id: string; published_at: Date }) =>
    encodeCursor({ order: PUBLISHED_ORDER, value: r.published_at.toISOString(), id: r.id });

  // The cursor is built in the API's format from the database; first make sure that the API's own
  // cursor for the end of page 1 is what this builds for row 20.
  const page1 = await ask(server, apiGet(`query { stories(first: ${FRONT_PAGE_SIZE}) { pageInfo { endCursor } } }`));
  const row20 = await row(FRONT_PAGE_SIZE - 1);
  if (page1.stories.pageInfo.endCursor !== cursorOf(row20)) {
    throw new Error(
      `the API's cursor format has changed: it gave ${page1.stories.pageInfo.endCursor} for row ${FRONT_PAGE_SIZE}, the bench built ${cursorOf(row20)}`,
    );
  }
  const depth = Math.min(DEEPEST_PAGE, Math.floor(published / 2));
  const [first, atDepth, afterDepth] = [await row(0), await row(depth - 1), await row(depth)];
  const total = Number((await client.query<{ count: string }>("SELECT count(*) FROM stories WHERE status = 'PUBLISHED'")).rows[0]!.count);
  const matches = async (words: string) =>
    Number(
      (
        await client.query<{ count: string }>(
          "SELECT count(*) FROM stories s, websearch_to_tsquery('english', $1) q WHERE s.search_vector @@ q AND s.status = 'PUBLISHED'",
          [words],
        )
      ).rows[0]!.count,
    );

  const pageStartingAt = (expected: { id: string }, rowNumber: number) => (data: Json) => {
    const edges = data.stories.edges as Json[];
    if (edges.length !== FRONT_PAGE_SIZE || edges[0]!.node.id !== expected.id) {
      throw new Error(
        `expected ${FRONT_PAGE_SIZE} stories from row ${rowNumber} (${expected.id}), got ${edges.length} from ${edges[0]?.node.id}`,
      );
    }
    return `${FRONT_PAGE_SIZE} stories from row ${stories(rowNumber)}`;
  };
  const search = async (words: string, kind: string): Promise<Probe> => {
    const count = await matches(words);
    return {
      request: `searchStories "${words}" (${kind})`,
      api: apiGet(SEARCH, { query: words }),
      check: (data) => {
        const found = (data.searchStories.edges as Json[]).length;
        if (found !== Math.min(FRONT_PAGE_SIZE, count))
          throw new Error(`search "${words}": expected ${Math.min(FRONT_PAGE_SIZE, count)} stories, got ${found}`);
        return `${found} of ${stories(count)} matches`;
      },
      sql: SEARCH_RANKED,
      values: [words],
    };
  };
  // Page 1 and the deep page by one query, so that both take the same road: the front page query
  // (no cursor) is read in one prepared statement of its own (src/public-read/), a cursor by the resolvers.
  const paged = compact(
    `query Page($after: String) { stories(first: ${FRONT_PAGE_SIZE}, after: $after) { edges { node { ${FRONT_PAGE_STORY_FIELDS} } } } }`,
  );
  return [
    {
      request: "front page (page 1, no cursor)",
      api: apiGet(API_FRONT_PAGE),
      check: pageStartingAt(first, 1),
      sql: FRONT_PAGE_ROWS.replace("%AFTER%", ""),
      values: [],
    },
    {
      request: "page 1 (after: null)",
      api: apiGet(paged, { after: null }),
      check: pageStartingAt(first, 1),
      sql: FRONT_PAGE_ROWS.replace("%AFTER%", ""),
      values: [],
    },
    {
      request: `page at depth ${stories(depth)} (after: cursor)`,
      api: apiGet(paged, { after: cursorOf(atDepth) }),
      check: pageStartingAt(afterDepth, depth + 1),
      sql: FRONT_PAGE_ROWS.replace("%AFTER%", "AND (published_at, id) < ($1, $2)"),
      values: [atDepth.published_at, atDepth.id],
    },
    {
      request: "totalCount",
      api: apiGet(`query { stories(first: 1) { totalCount } }`),
      check: (data) => {
        if (data.stories.totalCount !== total) throw new Error(`totalCount: expected ${total}, got ${data.stories.totalCount}`);
        return stories(total);
      },
      sql: "SELECT count(*) FROM stories WHERE status = 'PUBLISHED'",
      values: [],
    },
    await search(SELECTIVE_WORD, "selective"),
    await search(COMMON_WORD, "common"),
  ];
}

function diskBytes(cluster: Cluster): number {
  const du = execFileSync("du", ["-sb", `/var/lib/postgresql/${POSTGRES_VERSION}/${cluster.name}`], { encoding: "utf8" });
  return Number(du.split(/\s+/)[0]);
}

const gigabytes = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
const range = (s: Spread) => (s.min === s.max ? rounded(s.median) : `${rounded(s.median)} (${rounded(s.min)}–${rounded(s.max)})`);

function markdown(report: ScaleReport): string {
  const { machine } = report;
  const lines = [
    `## The API at scale: ${report.sizes.map((size) => stories(size.published)).join(" and ")} published stories`,
    "",
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}, PostgreSQL ${POSTGRES_VERSION}. The API in production mode, ` +
      `response cache off, one request at a time: ${report.options.runs} runs after ${WARMUP_RUNS} warm-up runs; the median, lowest–highest in parentheses. ` +
      `"PostgreSQL alone": the one query that reads what the answer needs, sent with pg the same number of times. ` +
      `Machine ${describeLoad(report.machineBefore, report.machineAfter)}.`,
    "",
    "| published stories | request | API ms | PostgreSQL alone ms | SQL statements/req | answer |",
    "| ---: | --- | ---: | ---: | ---: | --- |",
  ];
  for (const size of report.sizes) {
    for (const m of size.measurements) {
      lines.push(
        `| ${stories(size.published)} | ${m.request} | ${range(m.apiMs)} | ${range(m.postgresAloneMs)} | ${rounded(m.statementsPerRequest)} | ${m.answer} |`,
      );
    }
  }
  lines.push("");
  for (const size of report.sizes) {
    const phases = Object.entries(size.generation.phases)
      .map(([phase, seconds]) => `${phase} ${fixed(seconds, 0)} s`)
      .join(", ");
    lines.push(
      `${stories(size.published)} stories: generated in ${fixed(size.generation.seconds, 0)} s (${phases}) on ${size.generatedAt.slice(0, 10)}` +
        `${size.reused ? ", kept from then" : ""}; database ${gigabytes(size.databaseBytes)}.`,
    );
  }
  lines.push(
    `Cluster ${SCALE_CLUSTER} on disk: ${gigabytes(report.clusterDiskBytes)}, kept for the next run (\`npm run bench:scale -- --drop\` removes it).`,
  );
  return lines.join("\n");
}

async function main(options: ScaleOptions): Promise<boolean> {
  if (options.drop) {
    if (await keptClusterExists(SCALE_CLUSTER)) {
      await dropKeptCluster(SCALE_CLUSTER);
      log(`dropped cluster ${SCALE_CLUSTER} and its databases`);
    } else log(`there is no cluster ${SCALE_CLUSTER}`);
    return true;
  }
  const startedAt = new Date().toISOString();
  const machineBefore = machineState();
  log(`machine ${describeLoad(machineBefore, machineBefore).replace(/, after.*/, "")}`);
  stopLeftoverServers(log);
  const cluster = await openKeptCluster(SCALE_CLUSTER);
  onCleanup(() => cluster.stop());
  log(`cluster ${cluster.name} on port ${cluster.port}`);

  const sizes: SizeReport[] = [];
  for (const published of options.sizes) {
    const database = await scaleDatabase(cluster, published, options.rebuild);
    const url = cluster.url(database.name);
    const server = await startServer(CONTENDERS.api.server(url, DEFAULT_POOL_SIZE, 1));
    onCleanup(() => server.stop());
    const counter = await StatementCounter.open(cluster.url("postgres"), database.name);
    onCleanup(() => counter.close());
    const measurements = await onDatabase(url, async (client) => {
      const measured: Measured[] = [];
      for (const probe of await probes(client, server, published)) {
        measured.push(await measure(server, client, counter, probe, options.runs));
        const m = measured.at(-1)!;
        log(
          `${stories(published)}: ${m.request}: API ${rounded(m.apiMs.median)} ms, PostgreSQL alone ${rounded(m.postgresAloneMs.median)} ms, ${rounded(m.statementsPerRequest)} SQL/req, ${m.answer}`,
        );
      }
      return measured;
    });
    await server.stop();
    const databaseBytes = await onDatabase(url, async (client) =>
      Number((await client.query<{ size: string }>("SELECT pg_database_size(current_database()) AS size")).rows[0]!.size),
    );
    sizes.push({
      published,
      database: database.name,
      databaseBytes,
      reused: database.reused,
      generatedAt: database.generatedAt,
      generation: database.generation,
      measurements,
    });
  }

  const report: ScaleReport = {
    startedAt,
    options,
    machine: describeMachine(),
    machineBefore,
    machineAfter: machineState(),
    clusterDiskBytes: diskBytes(cluster),
    sizes,
  };
  console.log(markdown(report));
  log(`results: ${await writeResults("scale", startedAt, report)}`);
  return true;
}

function optionsOrExit(): ScaleOptions {
  try {
    const parsed = parseScaleOptions(process.argv.slice(2));
    if (parsed !== "help") return parsed;
    console.log(SCALE_USAGE);
    process.exit(0);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${SCALE_USAGE}`);
    process.exit(2);
  }
}

const options = optionsOrExit();
await runMain(() => main(options));
