import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import { connectDatabase } from "../../src/db/client.js";
import { issueTokenForName } from "../../src/users/user.service.js";
import { CreateStoryDocument, PublishStoryDocument, StoryChangedDocument, UpdateStoryDocument } from "../generated/graphql.js";
import { failure, graphqlClient, ok } from "../support/api.js";
import { startServerProcess } from "../support/command.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { liveClient, type LiveClient } from "../support/live.js";
import type { ManagedProcess } from "../support/processes.js";
import { waitUntil } from "../support/wait.js";

// Each wait is bounded on its own for a hang; none measures speed. The latency is printed, not asserted.
const START_WAIT_MS = 180_000;
const EVENT_WAIT_MS = 60_000;

interface Instance {
  name: string;
  server: ManagedProcess;
  url: string;
}

/** How many subscriptions the instance has logged as started: a test waits for its own before making a change. */
function subscriptionsStarted(instance: Instance): number {
  return instance.server
    .stdout()
    .split("\n")
    .filter((line) => line.includes('"msg":"subscription started"')).length;
}

// PostgreSQL: two instances, each with its own listening connection, so a change committed through
// one reaches the other's subscribers through the database. PGlite admits one process: the one
// instance plays both parts, and its notifications travel in process.
const twoInstances = testDatabaseAdminUrl() !== null;

describe(
  twoInstances ? "live subscriptions across two API instances on one PostgreSQL database" : "live subscriptions on the embedded database",
  { timeout: 600_000 },
  () => {
    let database: TestDatabase;
    let editor: string;
    const servers: ManagedProcess[] = [];
    const clients: LiveClient[] = [];

    async function startInstance(name: string): Promise<Instance> {
      const server = startServerProcess(database.target);
      servers.push(server);
      const [, url] = await server.waitForOutput(/"url":"(http:\/\/[^"]+)"/, START_WAIT_MS);
      await server.waitForOutput(/"msg":"live desk listening for story events"/, START_WAIT_MS);
      return { name, server, url: url! };
    }

    /** Subscribes on the instance and waits until it has logged the subscription as started. */
    async function subscribeOn(instance: Instance, storyId: string, token?: string) {
      const client = liveClient(instance.url, token);
      clients.push(client);
      const before = subscriptionsStarted(instance);
      const received = client.subscribe(StoryChangedDocument, { id: storyId });
      await waitUntil(() => subscriptionsStarted(instance) > before, `${instance.name} to start the subscription`, EVENT_WAIT_MS);
      return received;
    }

    beforeAll(async () => {
      database = await createTestDatabase();
      // Closed before any server starts: PGlite admits one process per data folder.
      const handle = await connectDatabase(database.target);
      try {
        editor = (await issueTokenForName(handle.prisma, { name: "Live Desk", role: "EDITOR" })).token;
      } finally {
        await handle.close();
      }
    }, START_WAIT_MS);
    afterAll(async () => {
      for (const client of clients) await client.dispose();
      for (const server of servers) await server.stop();
      await database?.drop();
    });

    it("brings a change committed through A to B's subscribers, never a rolled-back one, and never draft content to the public", async () => {
      const a = await startInstance("A");
      const b = twoInstances ? await startInstance("B") : a;
      const throughA = graphqlClient(a.url);

      const created = ok(
        await throughA.graphql(
          CreateStoryDocument,
          { input: { headline: "Harbour reopens", paragraphs: ["Ships sailed at dawn."] } },
          editor,
        ),
      ).createStory.story!;
      const published = ok(await throughA.graphql(PublishStoryDocument, { id: created.id, v: created.version }, editor)).step.story!;
      const secret = ok(
        await throughA.graphql(
          CreateStoryDocument,
          { input: { headline: "Secret: minister to resign", paragraphs: ["Not yet."] } },
          editor,
        ),
      ).createStory.story!;

      const desk = await subscribeOn(b, published.id, editor);
      const reader = await subscribeOn(b, published.id);
      const readerOfDraft = await subscribeOn(b, secret.id);

      // Rolled back through A: a stale version, and an edit refused after it was written.
      const stale = await throughA.graphql(UpdateStoryDocument, { id: published.id, v: created.version, input: { summary: "No" } }, editor);
      expect(failure(stale).code).toBe("CONFLICT");
      const words = { paragraphs: ["Ships sailed at dawn on Tuesday."] };
      const unnoted = await throughA.graphql(UpdateStoryDocument, { id: published.id, v: published.version, input: words }, editor);
      expect(failure(unnoted).extensions.reason).toBe("CORRECTION_REQUIRED");
      // The draft edited through A: heard by no public subscriber.
      const renamed = ok(
        await throughA.graphql(UpdateStoryDocument, { id: secret.id, v: secret.version, input: { headline: "Minister resigns" } }, editor),
      ).updateStory.story!;

      const sent = performance.now();
      const edited = ok(
        await throughA.graphql(
          UpdateStoryDocument,
          { id: published.id, v: published.version, input: { ...words, minorEditReason: "Day added" } },
          editor,
        ),
      ).updateStory.story!;
      const answered = performance.now();
      await desk.waitFor((change) => change.storyChanged.version === edited.version, "the edit on B's staff subscriber", EVENT_WAIT_MS);
      await reader.waitFor((change) => change.storyChanged.version === edited.version, "the edit on B's public subscriber", EVENT_WAIT_MS);
      // Printed, not asserted: a busy machine must not turn this red. The event may even beat the mutation's answer.
      console.log(
        `${twoInstances ? "A to B" : "in process"}: the edit reached the subscriber ${(desk.arrivals[0]! - sent).toFixed(1)} ms after ` +
          `the mutation was sent, ${(desk.arrivals[0]! - answered).toFixed(1)} ms after its answer (${(answered - sent).toFixed(1)} ms)`,
      );

      // Only the committed edit arrived, on both.
      for (const received of [desk, reader]) {
        expect(received.data().map((change) => [change.storyChanged.kind, change.storyChanged.version])).toEqual([
          ["UPDATED", edited.version],
        ]);
      }
      expect(desk.data()[0]!.storyChanged.actor).toEqual({ name: "Live Desk" });
      expect(reader.data()[0]!.storyChanged.actor).toBeNull();

      // The draft, once published through A: its public subscriber on B hears of that first, and of nothing before.
      const released = ok(await throughA.graphql(PublishStoryDocument, { id: secret.id, v: renamed.version }, editor)).step.story!;
      await readerOfDraft.waitFor(
        (change) => change.storyChanged.kind === "PUBLISHED",
        "the publication on B's public subscriber",
        EVENT_WAIT_MS,
      );
      expect(readerOfDraft.data().map((change) => change.storyChanged)).toEqual([
        expect.objectContaining({
          kind: "PUBLISHED",
          version: released.version,
          story: expect.objectContaining({ headline: "Minister resigns" }),
        }),
      ]);
      expect(JSON.stringify(readerOfDraft.results)).not.toContain("Secret");
    });
  },
);
