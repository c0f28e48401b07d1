import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import { connectDatabase, type Database } from "../../src/db/client.js";
import { issueTokenForName } from "../../src/users/user.service.js";
import { StoryCountDocument } from "../generated/graphql.js";
import { graphqlClient, ok } from "../support/api.js";
import { startServerProcess } from "../support/command.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import type { ManagedProcess } from "../support/processes.js";
import { dueAt, publicationFacts, scheduleDrafts, type PublicationFacts } from "../support/scheduled-stories.js";

// Each wait is bounded on its own, for a hang; none measures speed: npm run bench:scheduler
// measures how late the stories go out.
const START_WAIT_MS = 180_000;
const PUBLISH_WAIT_MS = 240_000;
const STORIES = 200;

const PUBLISHED_ON_TIME = "scheduled story published";
const PUBLISHED_OVERDUE = "published a scheduled story that fell due while no scheduler ran";

/** The stories a process says it published, one log line each, with the publishAt it logged. */
function publicationsLoggedBy(process: ManagedProcess, messages = [PUBLISHED_ON_TIME, PUBLISHED_OVERDUE]) {
  return process
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg: string; storyId?: string; publishAt?: string })
    .filter((line) => messages.includes(line.msg));
}

/** Every story published once, with one PUBLISHED event and one revision, none before its publishAt. */
function expectPublishedOnce(facts: PublicationFacts, count: number) {
  expect({ ...facts, latenessMs: facts.latenessMs.length }).toEqual({
    stories: count,
    published: count,
    stillScheduled: 0,
    publishedEvents: count,
    storiesWithOnePublishedEvent: count,
    publishedRevisions: count,
    early: 0,
    withoutPublishAt: 0,
    latenessMs: count,
  });
}

// PostgreSQL: two server processes on one database, each with its own scheduler, listening
// connection and pool, so that exactly-once rests on the database alone. PGlite admits one process
// per data folder: there one process plays both parts, in turn where the case needs two.
const twoInstances = testDatabaseAdminUrl() !== null;

describe(
  twoInstances
    ? "scheduled publishing, two API instances on one PostgreSQL database"
    : "scheduled publishing on the embedded database, one process at a time",
  { timeout: 900_000 },
  () => {
    const processes: ManagedProcess[] = [];
    const databases: TestDatabase[] = [];
    afterAll(async () => {
      for (const process of processes) await process.stop();
      for (const database of databases) await database.drop();
    });

    async function withDatabase<T>(database: TestDatabase, work: (db: Database) => Promise<T>): Promise<T> {
      const handle = await connectDatabase(database.target);
      try {
        return await work(handle.prisma);
      } finally {
        await handle.close();
      }
    }

    /** A database of the case's own with `count` drafts scheduled an hour ahead, and a staff token to count them with. */
    async function prepare(count: number) {
      const database = await createTestDatabase();
      databases.push(database);
      return withDatabase(database, async (db) => ({
        database,
        ids: await scheduleDrafts(db, count, "Scheduled"),
        token: (await issueTokenForName(db, { name: "Counting Desk", role: "EDITOR" })).token,
      }));
    }

    async function start(database: TestDatabase, script: "src/main.ts" | "src/worker.ts", env: Record<string, string> = {}) {
      const process = startServerProcess(database.target, { SCHEDULER: "on", ...env }, script);
      processes.push(process);
      await process.waitForOutput(/"msg":"scheduler listening for schedule changes"/, START_WAIT_MS);
      return process;
    }

    async function startInstance(database: TestDatabase, env: Record<string, string> = {}) {
      const server = await start(database, "src/main.ts", env);
      const [, url] = await server.waitForOutput(/"url":"(http:\/\/[^"]+)"/, START_WAIT_MS);
      return { server, url: url! };
    }

    /** How many stories are published, as an editor's list counts them through an instance. */
    async function publishedCount(url: string, token: string): Promise<number> {
      return ok(await graphqlClient(url).graphql(StoryCountDocument, { filter: { status: "PUBLISHED" } }, token)).stories.totalCount;
    }

    /** Stopped as a deployment stops it: SIGTERM, and it exits cleanly, its publications committed. */
    async function stopCleanly(process: ManagedProcess) {
      expect(await process.stop()).toBe(0);
    }

    it(`publishes ${STORIES} stories scheduled for the same second exactly once`, async () => {
      const { database, ids, token } = await prepare(STORIES);
      let instances;
      if (twoInstances) {
        instances = [await startInstance(database), await startInstance(database)];
        await withDatabase(database, (db) => dueAt(db, 2));
      } else {
        // Due while the one process starts: it publishes them as it starts or just after.
        await withDatabase(database, (db) => dueAt(db, 2));
        instances = [await startInstance(database)];
      }

      await expect.poll(() => publishedCount(instances[0]!.url, token), { timeout: PUBLISH_WAIT_MS, interval: 100 }).toBe(STORIES);
      // Each logged once, by one instance or the other. A batch's lines are written after it commits, so they may trail the count.
      const logged = () => instances.flatMap(({ server }) => publicationsLoggedBy(server).map((line) => line.storyId));
      await expect.poll(() => logged().length, { timeout: PUBLISH_WAIT_MS, interval: 100 }).toBeGreaterThanOrEqual(STORIES);
      expect(logged().sort()).toEqual([...ids].sort());

      for (const { server } of instances) await stopCleanly(server);
      expectPublishedOnce(await publicationFacts(database.target), STORIES);
    });

    it("publishes the rest through the other instance when one is killed (kill -9) partway through", async () => {
      const { database, token } = await prepare(STORIES);
      let victim: ManagedProcess;
      let survivor: { server: ManagedProcess; url: string };
      // One story a transaction, so that the work is spread over many commits and the kill lands
      // while most of it is still to do, however slowly this test reacts; the other instance too,
      // so that it cannot have published everything before the victim's first commit.
      const oneByOne = { SCHEDULER_BATCH_SIZE: "1" };
      if (twoInstances) {
        const a = await startInstance(database, oneByOne);
        survivor = await startInstance(database, oneByOne);
        victim = a.server;
        await withDatabase(database, (db) => dueAt(db, 2));
      } else {
        await withDatabase(database, (db) => dueAt(db, 2));
        victim = (await startInstance(database, oneByOne)).server;
      }

      // Killed as soon as it has committed a publication, with more of them under way.
      await victim.waitForOutput(/"msg":"(scheduled story published|published a scheduled story[^"]*)"/, PUBLISH_WAIT_MS);
      process.kill(-victim.pid, "SIGKILL");
      expect(await victim.exited).toBeNull();
      // On PGlite the survivor is the same deployment started again, on the folder the killed one left.
      if (!twoInstances) survivor = await startInstance(database);

      await expect.poll(() => publishedCount(survivor!.url, token), { timeout: PUBLISH_WAIT_MS, interval: 100 }).toBe(STORIES);
      expect(publicationsLoggedBy(survivor!.server).length).toBeGreaterThan(0);
      expect(publicationsLoggedBy(victim).length).toBeLessThan(STORIES);

      await stopCleanly(survivor!.server);
      expectPublishedOnce(await publicationFacts(database.target), STORIES);
    });

    it("publishes stories that fell due while no scheduler ran at the next start, recording their publishAt and logging each", async () => {
      const overdue = 20;
      const { database, ids } = await prepare(overdue);
      const publishAt = await withDatabase(database, (db) => dueAt(db, 1));
      await expect.poll(() => Date.now() > publishAt.getTime(), { timeout: PUBLISH_WAIT_MS }).toBe(true);

      // The worker (npm run worker), and on PostgreSQL an API instance beside it: whichever claims a story publishes it.
      const started = twoInstances
        ? [await start(database, "src/worker.ts"), (await startInstance(database)).server]
        : [await start(database, "src/worker.ts")];
      const loggedOverdue = () => started.flatMap((process) => publicationsLoggedBy(process, [PUBLISHED_OVERDUE]));
      await expect.poll(() => loggedOverdue().length, { timeout: PUBLISH_WAIT_MS, interval: 100 }).toBe(overdue);
      expect(
        loggedOverdue()
          .map((line) => line.storyId)
          .sort(),
      ).toEqual([...ids].sort());
      expect(new Set(loggedOverdue().map((line) => line.publishAt))).toEqual(new Set([publishAt.toISOString()]));

      for (const process of started) await stopCleanly(process);
      const facts = await publicationFacts(database.target);
      expectPublishedOnce(facts, overdue);
    });
  },
);
