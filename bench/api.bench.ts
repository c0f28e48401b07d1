import { setTimeout as sleep } from "node:timers/promises";
import { apiScenarios, runApiScenario } from "./lib/api-scenarios.js";
import { createBenchDatabase, seedStories } from "./lib/database.js";
import type { Measurement } from "./lib/measurement.js";
import { parseOptions, USAGE, type BenchOptions } from "./lib/options.js";
import { FRONT_PAGE_SQL, openRawClient, runRawQuery } from "./lib/raw-sql.js";
import { describeMachine, markdownTable, writeReport, type BenchReport } from "./lib/report.js";
import { startServerProcess } from "./lib/server-process.js";

/**
 * When its time is up autocannon drops its connections with requests still in flight; the server
 * finishes them anyway. This pause keeps them out of the next window and out of the shutdown.
 */
const SETTLE_MS = 1000;

const log = (message: string) => console.error(`[bench] ${message}`);

// Whatever ends the run (the end, an error, Ctrl-C), the server process stops and the database is
// dropped, exactly once, newest resource first.
const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      await cleanup().catch((error) => log(`cleanup failed: ${error instanceof Error ? error.message : error}`));
    }
  })();
  return cleaning;
}
// Ctrl-C reaches this process twice, from the terminal and relayed by tsx: every signal must wait
// for the cleanup rather than fall back to the default of exiting at once.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!cleaning) log(`${signal}: stopping the server and dropping the database`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.on("uncaughtException", (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(1));
});

function summary(m: Measurement): string {
  const ms = (value: number) => value.toFixed(value < 10 ? 2 : 0);
  return `${m.scenario}: ${m.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(m.latencyMs.p50)} ms, p99 ${ms(m.latencyMs.p99)} ms, ${m.errors.total} errors`;
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const load = { connections: options.connections, seconds: options.duration };
  const warmup = { connections: options.connections, seconds: options.warmup };

  log(`creating a fresh ${options.backend} database with every migration`);
  const database = await createBenchDatabase(options);
  cleanups.push(() => database.drop());
  log(`seeding ${options.stories} published stories`);
  const seeded = await seedStories(database.target, options.stories);
  log(`seeded in ${seeded.seconds.toFixed(1)} s; starting the API server`);

  const server = await startServerProcess(database.target);
  cleanups.push(() => server.stop());
  const rssAfterStartMiB = server.memory().rssMiB;
  log(`server pid ${server.pid} at ${server.url}, ${rssAfterStartMiB.toFixed(0)} MiB`);

  const scenarios: Measurement[] = [];
  // Reads come first so that they see the seeded data; the write changes summaries and versions.
  for (const scenario of apiScenarios(seeded.stories, seeded.editorToken)) {
    if (warmup.seconds > 0) {
      await runApiScenario(server.url, scenario, warmup);
      await sleep(SETTLE_MS);
    }
    const rssBeforeMiB = server.memory().rssMiB;
    const cpuBefore = server.cpuSeconds();
    const measured = await runApiScenario(server.url, scenario, load);
    const cpuPercent = ((server.cpuSeconds() - cpuBefore) / measured.seconds) * 100;
    await sleep(SETTLE_MS);
    scenarios.push({
      scenario: scenario.name,
      description: scenario.description,
      ...measured,
      server: { rssBeforeMiB, rssAfterMiB: server.memory().rssMiB, cpuPercent },
    });
    log(summary(scenarios.at(-1)!));
  }
  const peakRssMiB = server.memory().peakMiB;
  // The baseline runs with the server gone: PGlite admits one process, and an idle server would
  // still hold memory and connections on the shared cores.
  await server.stop();

  const raw = await openRawClient(database.target);
  cleanups.push(() => raw.close());
  const expectedRows = Math.min(20, options.stories);
  if (warmup.seconds > 0) await runRawQuery(raw, FRONT_PAGE_SQL, expectedRows, warmup);
  const baseline = await runRawQuery(raw, FRONT_PAGE_SQL, expectedRows, load);
  scenarios.push({
    scenario: `front page, raw SQL (${raw.label})`,
    description: "the front page's rows by one hand-written SELECT, no HTTP or GraphQL, at the same concurrency",
    ...baseline,
    server: null,
  });
  log(summary(scenarios.at(-1)!));

  // Results files get shared; the admin URL may hold a password.
  const { adminUrl: _, ...shown } = options;
  return {
    startedAt,
    options: shown,
    machine: describeMachine(),
    seedSeconds: seeded.seconds,
    server: { rssAfterStartMiB, peakRssMiB },
    scenarios,
  };
}

let options: BenchOptions | "help";
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  process.exit(2);
}
if (options === "help") {
  console.log(USAGE);
  process.exit(0);
}

const started = performance.now();
try {
  const report = await run(options);
  await cleanUp();
  console.log(markdownTable(report));
  log(`results: ${await writeReport(report)}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  const failed = report.scenarios.filter((m) => m.errors.total > 0);
  if (failed.length > 0) {
    log(`errors in: ${failed.map((m) => `${m.scenario} (${JSON.stringify(m.errors)})`).join(", ")}; these numbers are not valid`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error);
  await cleanUp();
  process.exitCode = 1;
}
