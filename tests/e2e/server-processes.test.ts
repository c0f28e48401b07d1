import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { print } from "graphql";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import { StoryPageDocument, UpdateParagraphDocument, UpdateStoryDocument } from "../generated/graphql.js";
import { graphqlClient, ok, seedEditorAndApStory } from "../support/api.js";
import { envFor, startServerProcess } from "../support/command.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { isRunning } from "../support/postgres-admin.js";
import { startProcess, type ManagedProcess } from "../support/processes.js";
import { waitUntil } from "../support/wait.js";

// Each wait is bounded on its own and all fit inside the test's limit, so a slow machine fails
// with the step that hung. None measures speed.
const START_WAIT_MS = 180_000;
const EVENT_WAIT_MS = 60_000;
const PROCESSES = 2;

interface LogLine {
  pid: number;
  msg: string;
  [field: string]: unknown;
}

function logLines(server: ManagedProcess): LogLine[] {
  return server
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The parent's pid, from /proc/<pid>/stat (field 4, the second after the command name in parentheses). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/**
 * An anonymous GET on a connection of its own (no keep-alive agent), so that node:cluster hands
 * each to one of the server processes in turn, as it does a reader's browser.
 */
function readOnNewConnection(url: string, query: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url + query, { agent: false, headers: { "apollo-require-preflight": "true" } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        try {
          resolve({ status: response.statusCode!, body: JSON.parse(text) });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on("error", reject);
  });
}

// Each backend has tests of its own here: several processes on PostgreSQL, the refusal on PGlite.
if (testDatabaseAdminUrl() !== null) {
  describe("SERVER_PROCESSES=2 on PostgreSQL", { timeout: 600_000 }, () => {
    let database: TestDatabase;
    let editor: string;
    let seeded: { storyId: string; slug: string };
    let server: ManagedProcess | undefined;

    beforeAll(async () => {
      database = await createTestDatabase();
      ({ editor, seeded } = await seedEditorAndApStory(database.target, "Process Desk"));
    }, START_WAIT_MS);
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });
    afterAll(async () => {
      await database?.drop();
    });

    function startServer(env: Record<string, string> = {}): ManagedProcess {
      server = startServerProcess(database.target, { RESPONSE_CACHE: "on", SERVER_PROCESSES: String(PROCESSES), ...env });
      return server;
    }

    it("serves from every process, drops a changed story in each, replaces a process that dies, and drains them all on SIGTERM", async () => {
      const supervisor = startServer();
      const [, url] = await supervisor.waitForOutput(
        /"url":"(http:\/\/[^"]+)","processes":2,[^\n]*"msg":"Newsroom GraphQL API ready at/,
        START_WAIT_MS,
      );
      const storyQuery = `?${new URLSearchParams({ query: print(StoryPageDocument), variables: JSON.stringify({ slug: seeded.slug }) })}`;

      // Every process answers readers, and each is a child of the supervisor, which answers none.
      const servingPids = () =>
        new Set(
          logLines(supervisor)
            .filter((line) => line.msg === "server process ready")
            .map((line) => line.pid),
        );
      const answeredBy = (cache: string) =>
        new Set(
          logLines(supervisor)
            .filter(
              (line) => line.msg === "request completed" && (line.res as { headers: Record<string, string> }).headers["x-cache"] === cache,
            )
            .map((line) => line.pid),
        );
      for (let i = 0; i < 4 * PROCESSES; i += 1) {
        const read = await readOnNewConnection(url!, storyQuery);
        expect(read.status).toBe(200);
        expect(read.body.data.story.id).toBe(seeded.storyId);
      }
      const pids = servingPids();
      expect(pids.size).toBe(PROCESSES);
      for (const pid of pids) expect(parentOf(pid)).toBe(supervisor.pid);
      await waitUntil(() => answeredBy("HIT").size === PROCESSES, "a cache hit from every process", EVENT_WAIT_MS);
      expect([...answeredBy("HIT")].sort()).toEqual([...pids].sort());

      // An edit made through one process is dropped from every process's cache.
      const page = (await readOnNewConnection(url!, storyQuery)).body.data.story;
      const lede = page.paragraphs[0];
      const text = `${lede.text} Officials confirmed the talks on Monday.`;
      const dropsBefore = logLines(supervisor).filter((line) => line.msg === "response cache invalidated").length;
      ok(
        await graphqlClient(url!).graphql(
          UpdateParagraphDocument,
          { input: { paragraphId: lede.id, expectedVersion: page.version, text, minorEditReason: "Day of the week added" } },
          editor,
        ),
      );
      const droppedBy = () =>
        new Set(
          logLines(supervisor)
            .filter((line) => line.msg === "response cache invalidated")
            .slice(dropsBefore)
            .filter((line) => line.stories === "all" || (line.stories as string[]).includes(seeded.storyId))
            .map((line) => line.pid),
        );
      await waitUntil(() => droppedBy().size === PROCESSES, "every process to drop the edited story", EVENT_WAIT_MS);
      for (let i = 0; i < 2 * PROCESSES; i += 1) {
        expect((await readOnNewConnection(url!, storyQuery)).body.data.story.paragraphs[0].text).toBe(text);
      }

      // A process killed outright is replaced by a new one, which serves.
      const [killed] = pids;
      process.kill(killed!, "SIGKILL");
      await supervisor.waitForOutput(/"msg":"a server process died; starting another"/, EVENT_WAIT_MS);
      await waitUntil(() => servingPids().size === PROCESSES + 1, "a replacement process to serve", START_WAIT_MS);
      expect(isRunning(killed!)).toBe(false);
      const serving = [...servingPids()].filter((pid) => pid !== killed);
      for (const pid of serving) expect(parentOf(pid)).toBe(supervisor.pid);
      for (let i = 0; i < 4 * PROCESSES; i += 1) expect((await readOnNewConnection(url!, storyQuery)).status).toBe(200);

      // SIGTERM to the supervisor alone drains every process: an edit waiting for a row lock when
      // it comes is saved and answered, and the server exits cleanly once it is.
      const { version } = (await readOnNewConnection(url!, storyQuery)).body.data.story;
      const lockHolder = new pg.Client({ connectionString: envFor(database.target).DATABASE_URL });
      await lockHolder.connect();
      try {
        await lockHolder.query("BEGIN");
        await lockHolder.query("SELECT id FROM stories WHERE id = $1 FOR UPDATE", [seeded.storyId]);
        const inFlight = graphqlClient(url!).graphql(
          UpdateStoryDocument,
          { id: seeded.storyId, v: version, input: { headline: "Saved while the server stopped", minorEditReason: "Headline reworded" } },
          editor,
        );
        await expect
          .poll(
            async () =>
              (
                await lockHolder.query(
                  "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
              ).rows[0].n,
            {
              timeout: EVENT_WAIT_MS,
            },
          )
          .toBe(1);
        process.kill(supervisor.pid, "SIGTERM");
        // Every process is draining, the one without a request has stopped, and the edit still waits.
        await waitUntil(
          () => logLines(supervisor).filter((line) => line.msg === "shutting down: draining in-flight requests").length === PROCESSES,
          "every process to start draining",
          EVENT_WAIT_MS,
        );
        await waitUntil(
          () => logLines(supervisor).filter((line) => line.msg === "stopped" && serving.includes(line.pid)).length === PROCESSES - 1,
          "the idle process to stop",
          EVENT_WAIT_MS,
        );
        expect(logLines(supervisor).some((line) => line.msg === "stopped" && line.pid === supervisor.pid)).toBe(false);
        await lockHolder.query("COMMIT");
        expect(ok(await inFlight).updateStory.story).toMatchObject({ headline: "Saved while the server stopped", version: version + 1 });
      } finally {
        await lockHolder.end();
      }
      expect(await supervisor.exited).toBe(0);
      for (const pid of serving) expect(isRunning(pid)).toBe(false);
      const stops = logLines(supervisor).filter((line) => line.msg === "stopped");
      expect(stops.map((line) => line.pid).sort()).toEqual([...serving, supervisor.pid].sort());
      expect(stops.find((line) => line.pid === supervisor.pid)).toMatchObject({ exitCode: 0 });
    });

    it("stops with exit code 1, and starts no other process, when its processes cannot serve", async () => {
      // The port is taken, so no process can listen on it.
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      try {
        const supervisor = startServer({ PORT: String((taken.address() as net.AddressInfo).port) });
        expect(await supervisor.exited).toBe(1);
        const lines = logLines(supervisor);
        expect(lines.some((line) => line.msg === "a server process died before the server could start; stopping the server")).toBe(true);
        expect(lines.some((line) => line.msg === "a server process died; starting another")).toBe(false);
        expect(lines.some((line) => line.msg === "server process ready")).toBe(false);
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });
  });
} else {
  describe("SERVER_PROCESSES on the embedded database", { timeout: 300_000 }, () => {
    it("refuses more than one process, saying why, before opening the database", async () => {
      const server = startProcess("node", ["--import", "tsx", "src/main.ts"], {
        env: { PGLITE_DATA_DIR: "memory://", DATABASE_URL: "", NODE_ENV: "production", PORT: "0", SERVER_PROCESSES: "2" },
      });
      try {
        expect(await server.exited).toBe(1);
        expect(server.stderr()).toContain("SERVER_PROCESSES above 1 needs DATABASE_URL");
        expect(server.stdout()).not.toContain("ready");
      } finally {
        await server.stop();
      }
    });
  });
}
