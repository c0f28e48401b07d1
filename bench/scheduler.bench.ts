import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { connectDatabase } from "../src/db/client.js";
import { dueAt, publicationFacts, scheduleDrafts, type PublicationFacts } from "../tests/support/scheduled-stories.js";
import { createEphemeralCluster, dropLeftoverClusters, type Cluster } from "./lib/cluster.js";
import { createDatabase, migrate, onDatabase } from "./lib/database.js";
import { percentile } from "./lib/load.js";
import { cpuSecondsBetween } from "./lib/proc.js";
import {
  cleanUp,
  describeLoad,
  describeMachine,
  fixed,
  log,
  machineState,
  onCleanup,
  runMain,
  writeResults,
  type Machine,
  type MachineState,
} from "./lib/run-context.js";
import { startServer, stopLeftoverServers } from "./lib/server-process.js";

/**
 * `npm run bench:scheduler`: how late scheduled stories go out. Each round writes and schedules
 * `--stories` drafts in a fresh database of a PostgreSQL cluster of the bench's own, starts two API
 * instances on it, moves every schedule to the same second two seconds ahead, and waits until all
 * are published; then it reads from the database how late each went out (publishedAt - the
 * publishAt its PUBLISHED event records) and checks that each was published once.
 */

const USAGE = "usage: npm run bench:scheduler -- [--stories 200] [--rounds 3] [--instances 2] [--batch-size 20]";
/** A round whose stories are not all out after this long is an error: the scheduler lost some. */
const ROUND_LIMIT_MS = 60_000;
const PROBE_TIMEOUT_MS = 2000;

interface Options {
  stories: number;
  rounds: number;
  instances: number;
  /** SCHEDULER_BATCH_SIZE of the instances: stories one transaction publishes. */
  batchSize: number;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      stories: { type: "string" },
      rounds: { type: "string" },
      instances: { type: "string" },
      "batch-size": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const whole = (name: "stories" | "rounds" | "instances" | "batch-size", fallback: number, min: number, max: number) => {
    const value = values[name];
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return parsed;
  };
  return {
    stories: whole("stories", 200, 1, 10_000),
    rounds: whole("rounds", 3, 1, 100),
    instances: whole("instances", 2, 1, 8),
    batchSize: whole("batch-size", 20, 1, 1000),
  };
}

interface Round {
  latencyMs: { p50: number; p90: number; max: number };
  /**
   * CPU the work took per story, in ms, from the moment they fell due to the last publication: the
   * instances (both processes) and PostgreSQL (every process of the cluster). On a busy machine the
   * lateness grows with the other load; this does not.
   */
  cpuMsPerStory: { instances: number; postgres: number };
  /** Publications whose count, events or revisions were not exactly one per story, or that went out early. */
  faults: string[];
}

interface SchedulerReport {
  startedAt: string;
  options: Options;
  machine: Machine;
  machineBefore: MachineState;
  machineAfter: MachineState;
  rounds: Round[];
  /** Over every story of every round. */
  latencyMs: { p50: number; p90: number; max: number };
}

function faultsOf(facts: PublicationFacts, stories: number): string[] {
  const expected = {
    published: stories,
    stillScheduled: 0,
    publishedEvents: stories,
    storiesWithOnePublishedEvent: stories,
    publishedRevisions: stories,
    early: 0,
    withoutPublishAt: 0,
  };
  return Object.entries(expected).flatMap(([key, value]) => {
    const actual = facts[key as keyof typeof expected];
    return actual === value ? [] : [`${key}: ${actual}, expected ${value}`];
  });
}

const summary = (ms: number[]) => {
  const sorted = Float64Array.from(ms).sort();
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.at(-1) ?? NaN };
};

async function runRound(cluster: Cluster, round: number, options: Options): Promise<{ round: Round; latenciesMs: number[] }> {
  const url = await createDatabase(cluster, `scheduler_round_${round}`);
  await migrate(url);
  const target = { kind: "postgres" as const, url };
  const handle = await connectDatabase(target);
  try {
    await scheduleDrafts(handle.prisma, options.stories, `Round ${round} story`);
    const instances = [];
    for (let i = 1; i <= options.instances; i += 1) {
      const server = await startServer({
        name: `instance ${i}`,
        script: "src/main.ts",
        env: { DATABASE_URL: url, SCHEDULER: "on", SCHEDULER_BATCH_SIZE: String(options.batchSize), RESPONSE_CACHE: "off" },
        ready: (baseUrl) => fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then((r) => r.ok),
      });
      onCleanup(() => server.stop());
      instances.push(server);
    }
    // Every instance is up and listening for schedule changes before the stories fall due.
    await sleep(1000);
    const cpuBefore = { instances: instances.map((server) => server.cpuSeconds()), postgres: cluster.cpu() };
    const publishAt = await dueAt(handle.prisma, 2);
    log(`round ${round}: ${options.stories} stories due at ${publishAt.toISOString()} on ${options.instances} instances`);
    const deadline = publishAt.getTime() + ROUND_LIMIT_MS;
    const published = () =>
      onDatabase(
        url,
        async (client) =>
          (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM stories WHERE status = 'PUBLISHED'`)).rows[0]!.n,
      );
    while ((await published()) < options.stories) {
      if (Date.now() > deadline) throw new Error(`round ${round}: not every story was published ${ROUND_LIMIT_MS} ms after it fell due`);
      await sleep(100);
    }
    const instancesSeconds = instances.reduce((sum, server, i) => sum + server.cpuSeconds() - cpuBefore.instances[i]!, 0);
    const cpuMsPerStory = {
      instances: (instancesSeconds * 1000) / options.stories,
      postgres: (cpuSecondsBetween(cpuBefore.postgres, cluster.cpu()) * 1000) / options.stories,
    };
    for (const server of instances) await server.stop();
    const facts = await publicationFacts(target);
    const latencyMs = summary(facts.latenessMs);
    const faults = faultsOf(facts, options.stories);
    log(
      `round ${round}: publishedAt - publishAt p50 ${fixed(latencyMs.p50, 0)} ms, p90 ${fixed(latencyMs.p90, 0)} ms, ` +
        `max ${fixed(latencyMs.max, 0)} ms; CPU per story ${fixed(cpuMsPerStory.instances, 2)} ms instances, ` +
        `${fixed(cpuMsPerStory.postgres, 2)} ms PostgreSQL${faults.length ? `; FAULTS: ${faults.join(", ")}` : ""}`,
    );
    return { round: { latencyMs, cpuMsPerStory, faults }, latenciesMs: facts.latenessMs };
  } finally {
    await handle.close();
  }
}

function markdown(report: SchedulerReport): string {
  const { options, machine } = report;
  const row = (label: string, ms: Round["latencyMs"], cpu: Round["cpuMsPerStory"] | undefined, faults: string) =>
    `| ${label} | ${fixed(ms.p50, 0)} | ${fixed(ms.p90, 0)} | ${fixed(ms.max, 0)} | ` +
    `${cpu ? fixed(cpu.instances, 2) : ""} | ${cpu ? fixed(cpu.postgres, 2) : ""} | ${faults} |`;
  return [
    `## Scheduler: ${options.stories} stories due in the same second, ${options.instances} instances, batches of ${options.batchSize}`,
    "",
    `${machine.cpus} × ${machine.cpuModel}, node ${machine.node}; machine ${describeLoad(report.machineBefore, report.machineAfter)}.`,
    "",
    "publishedAt - publishAt of each story, in ms; CPU per story of the two instances and of PostgreSQL, in ms; faults: " +
      "anything but one PUBLISHED event, one revision and no early publication per story.",
    "",
    "| round | p50 ms | p90 ms | max ms | instances CPU ms/story | PostgreSQL CPU ms/story | faults |",
    "| ----- | -----: | -----: | -----: | ---------------------: | ----------------------: | ------ |",
    ...report.rounds.map((round, i) => row(String(i + 1), round.latencyMs, round.cpuMsPerStory, round.faults.join("; ") || "none")),
    row("all", report.latencyMs, undefined, ""),
    "",
  ].join("\n");
}

async function main(options: Options): Promise<boolean> {
  const startedAt = new Date().toISOString();
  const machineBefore = machineState();
  stopLeftoverServers(log);
  await dropLeftoverClusters(log);
  const cluster = await createEphemeralCluster();
  onCleanup(() => cluster.drop());
  const rounds: Round[] = [];
  const all: number[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    const result = await runRound(cluster, round, options);
    rounds.push(result.round);
    all.push(...result.latenciesMs);
  }
  await cleanUp();
  const report: SchedulerReport = {
    startedAt,
    options,
    machine: describeMachine(),
    machineBefore,
    machineAfter: machineState(),
    rounds,
    latencyMs: summary(all),
  };
  const file = await writeResults("scheduler", startedAt, report);
  console.log(markdown(report));
  log(`results in ${file}`);
  return rounds.every((round) => round.faults.length === 0);
}

const options = parseOptions(process.argv.slice(2));
if (options === "help") console.log(USAGE);
else await runMain(() => main(options));
