import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import { connectDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { embeddedSocketPath, embeddedSocketUrl } from "../../src/db/embedded-socket.js";
import { createLogger } from "../../src/logger.js";
import { CreateStoryDocument, StoryPageDocument, ViewerDocument } from "../generated/graphql.js";
import { AP_STORY_FILE, graphqlClient, ok } from "../support/api.js";
import { envFor, runInProject, type CommandResult } from "../support/command.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { startProcess, type ManagedProcess } from "../support/processes.js";

// Each wait is bounded on its own, for a hang; none measures speed.
const START_WAIT_MS = 180_000;
const AP_HEADLINE = "Iraq considers deepening military ties with Russia";
const apText = readFileSync(AP_STORY_FILE, "utf8");

const embedded = testDatabaseAdminUrl() === null;

/** The token a successful `npm run token` prints on its last line. */
function printedToken(result: CommandResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split("\n").at(-1)!;
}

/** The story ids and slugs `npm run import:wire` reports as imported. */
function importedStories(result: CommandResult): { id: string; slug: string }[] {
  expect(result.code, result.stderr).toBe(0);
  return [...result.stdout.matchAll(/ imported \S+ as (\S+) (\S+) \(DRAFT\)/g)].map(([, id, slug]) => ({ id: id!, slug: slug! }));
}

describe(
  embedded ? "desk commands while the server holds the embedded database" : "desk commands while the server runs on PostgreSQL",
  { timeout: 600_000 },
  () => {
    let database: TestDatabase;
    let server: ManagedProcess | undefined;
    let url: string;
    let editor: string;

    const command = (script: string, ...args: string[]) =>
      runInProject("npm", ["run", "-s", script, "--", ...args], envFor(database.target));
    const token = (name: string) => command("token", "--role", "EDITOR", "--name", name).then(printedToken);

    async function startServer(): Promise<void> {
      server = startProcess("node", ["--import", "tsx", "src/main.ts"], {
        env: { ...envFor(database.target), LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", RESPONSE_CACHE: "off" },
      });
      url = (await server.waitForOutput(/"url":"(http:\/\/[^"]+)"/, START_WAIT_MS))[1]!;
    }

    beforeAll(async () => {
      database = await createTestDatabase();
      await startServer();
      editor = await token("Desk Editor");
    }, START_WAIT_MS * 2);
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it("npm run token: the server accepts the new token at once", async () => {
      const issued = await token("Jane Desk");
      expect(ok(await graphqlClient(url).graphql(ViewerDocument, {}, issued)).viewer).toMatchObject({ name: "Jane Desk", role: "EDITOR" });
    });

    it("npm run import:wire: the server serves the new story at once", async () => {
      const [story] = importedStories(await command("import:wire", AP_STORY_FILE));
      const page = ok(await graphqlClient(url).graphql(StoryPageDocument, { slug: story!.slug }, editor)).story;
      expect(page).toMatchObject({ id: story!.id, headline: AP_HEADLINE });
    });

    it("npm run db:status reports on the database the server holds", async () => {
      const status = await command("db:status");
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain("Up to date.");
    });

    it("loses nothing when commands and the server write at once", async () => {
      const created: string[] = [];
      const throughServer = async () => {
        for (let i = 0; i < 20; i++) {
          const answer = await graphqlClient(url).graphql(
            CreateStoryDocument,
            { input: { headline: `Desk story ${i}`, paragraphs: [`Paragraph ${i}.`] } },
            editor,
          );
          created.push(ok(answer).createStory.story!.id);
        }
      };
      const folder = await mkdtemp(path.join(os.tmpdir(), "desk-wire-"));
      const wireFiles = await Promise.all(
        ["one", "two", "three"].map(async (name) => {
          const file = path.join(folder, `${name}.txt`);
          // Headlines of their own: distinct stories, not copies of the AP one.
          await writeFile(file, apText.replace(AP_HEADLINE, `Desk import ${name}: ${AP_HEADLINE}`));
          return file;
        }),
      );
      const [, imports, tokens] = await Promise.all([
        throughServer(),
        Promise.all([command("import:wire", wireFiles[0]!, wireFiles[1]!), command("import:wire", wireFiles[2]!)]),
        Promise.all([token("Concurrent One"), token("Concurrent Two")]),
      ]);
      await rm(folder, { recursive: true });
      const imported = imports.flatMap(importedStories);
      expect(imported).toHaveLength(3);
      expect(created).toHaveLength(20);
      for (const issued of tokens)
        expect(ok(await graphqlClient(url).graphql(ViewerDocument, {}, issued)).viewer?.name).toMatch(/^Concurrent/);
      for (const { id, slug } of imported) {
        const story = ok(await graphqlClient(url).graphql(StoryPageDocument, { slug }, editor)).story;
        expect(story).toMatchObject({ id, headline: expect.stringMatching(/^Desk import (one|two|three): /) });
      }
      // Read as a desk command would: through the server's socket on PGlite.
      const reader = await connectDatabase(database.target);
      try {
        const ids = [...created, ...imported.map((story) => story.id)];
        expect(await reader.prisma.story.count({ where: { id: { in: ids } } })).toBe(ids.length);
        expect(await reader.prisma.storyRevision.count({ where: { storyId: { in: ids } } })).toBe(ids.length);
      } finally {
        await reader.close();
      }
    });

    if (embedded) {
      it("removes its socket on shutdown; one left by a killed server stops no command, and the next server replaces it", async () => {
        const socket = embeddedSocketPath(database.target.kind === "pglite" ? database.target.dataDir! : "");
        expect(existsSync(socket)).toBe(true);
        await server!.stop();
        expect(existsSync(socket)).toBe(false);

        await startServer();
        process.kill(-server!.pid, "SIGKILL");
        await server!.exited;
        expect(existsSync(socket)).toBe(true);
        const status = await command("db:status");
        expect(status.code, status.stderr).toBe(0);
        const issued = await token("After The Crash");

        await startServer();
        expect(ok(await graphqlClient(url).graphql(ViewerDocument, {}, issued)).viewer?.name).toBe("After The Crash");
        expect(printedToken(await command("token", "--role", "REPORTER", "--name", "Back Again"))).toMatch(/^nws_/);
      });
    }
  },
);

/** A promise's state, readable without awaiting it. */
function settles(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  void promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/** Enough statements in one transaction for a query from another session, if let in between them, to run. */
const STATEMENTS_MEANWHILE = 500;

if (embedded) {
  describe("sessions on the embedded socket and the server's own queries", { timeout: 120_000 }, () => {
    let database: TestDatabase;
    let served: DatabaseHandle;
    const clients: pg.Client[] = [];

    async function deskSession(): Promise<pg.Client> {
      const client = new pg.Client(embeddedSocketUrl(database.target.kind === "pglite" ? database.target.dataDir! : ""));
      clients.push(client);
      await client.connect();
      return client;
    }
    const usersNamed = async (client: pg.Client, name: string) =>
      Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE name = $1", [name])).rows[0]!.n);

    beforeAll(async () => {
      database = await createTestDatabase();
      served = await connectDatabase(database.target, {
        serveDeskCommands: { log: createLogger({ environment: "test", logLevel: "silent" }) },
      });
    });
    afterEach(async () => {
      for (const client of clients.splice(0)) await client.end().catch(() => undefined);
    });
    afterAll(async () => {
      await served?.close();
      await database?.drop();
    });

    it("runs a desk command's statement outside the server's transaction, after it", async () => {
      const desk = await deskSession();
      let deskCount: Promise<number> | undefined;
      await served.prisma
        .$transaction(
          async (tx) => {
            await tx.user.create({ data: { name: "Rolled Back", role: "REPORTER" } });
            const counted = settles((deskCount = usersNamed(desk, "Rolled Back")));
            // Statement after statement, each letting the socket be served in between, until the desk's
            // query has answered (which it must not do inside this transaction) or plenty have run.
            for (let i = 0; i < STATEMENTS_MEANWHILE && !counted.settled; i++) await tx.$queryRaw`SELECT 1`;
            throw new Error("roll back");
          },
          { timeout: 60_000 },
        )
        .catch((error: Error) => expect(error.message).toBe("roll back"));
      expect(await deskCount).toBe(0);
    });

    it("runs the server's queries outside a desk command's transaction, after it", async () => {
      const desk = await deskSession();
      await desk.query("BEGIN");
      await desk.query("INSERT INTO users (id, name, role, updated_at) VALUES (gen_random_uuid(), 'Desk Rolled Back', 'REPORTER', now())");
      const serverCount = served.prisma.user.count({ where: { name: "Desk Rolled Back" } });
      const counted = settles(serverCount);
      for (let i = 0; i < STATEMENTS_MEANWHILE && !counted.settled; i++) await desk.query("SELECT 1");
      expect(await usersNamed(desk, "Desk Rolled Back")).toBe(1);
      await desk.query("ROLLBACK");
      expect(await serverCount).toBe(0);
    });

    it("rolls back the transaction of a desk command that disconnects, and serves the server again", async () => {
      const desk = await deskSession();
      await desk.query("BEGIN");
      await desk.query("INSERT INTO users (id, name, role, updated_at) VALUES (gen_random_uuid(), 'Cut Off', 'REPORTER', now())");
      const serverCount = served.prisma.user.count({ where: { name: "Cut Off" } });
      await desk.end();
      expect(await serverCount).toBe(0);
      expect(await usersNamed(await deskSession(), "Cut Off")).toBe(0);
    });

    it("delivers what a desk command's commit notifies to the server's listeners, and nothing for a rollback", async () => {
      const received: string[] = [];
      let listening!: () => void;
      const ready = new Promise<void>((resolve) => (listening = resolve));
      const stop = served.notifications.subscribe("desk_test", {
        notified: (payload) => received.push(payload),
        listening: () => listening(),
        interrupted: () => undefined,
      });
      try {
        await ready;
        const desk = await deskSession();
        await desk.query("BEGIN; SELECT pg_notify('desk_test', 'rolled back'); ROLLBACK");
        await desk.query("SELECT pg_notify('desk_test', 'committed')");
        await expect.poll(() => received).toEqual(["committed"]);
      } finally {
        stop();
      }
    });
  });
}
