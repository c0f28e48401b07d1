import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import {
  CreateStoryDocument,
  PublishStoryDocument,
  StoryHeadlinesDocument,
  StoryPageDocument,
  UpdateParagraphDocument,
  UpdateStoryDocument,
} from "../generated/graphql.js";
import { graphqlClient, ok, seedEditorAndApStory } from "../support/api.js";
import { startServerProcess } from "../support/command.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import type { ManagedProcess } from "../support/processes.js";
import { waitUntil } from "../support/wait.js";

// Each wait is bounded on its own and all fit inside the test's limit, so a slow machine fails
// with the step that hung. None measures speed: npm run bench:invalidation does.
const START_WAIT_MS = 180_000;
const INVALIDATION_WAIT_MS = 60_000;
const MAX_AGE = 3600;

interface Instance {
  name: string;
  server: ManagedProcess;
  url: string;
}

/** The server's JSON log lines that say it dropped answers holding the story. */
function invalidationsOf(instance: Instance, storyId: string): number {
  return instance.server
    .stdout()
    .split("\n")
    .filter((line) => line.includes('"msg":"response cache invalidated"'))
    .map((line) => JSON.parse(line) as { stories: string[] | "all" })
    .filter((line) => line.stories === "all" || line.stories.includes(storyId)).length;
}

/** An anonymous GET, as a reader's browser or a CDN sends it. */
async function publicRead<Data, Variables>(instance: Instance, document: TypedDocumentNode<Data, Variables>, variables: Variables) {
  const params = new URLSearchParams({ query: print(document), variables: JSON.stringify(variables) });
  const response = await fetch(`${instance.url}?${params}`, { headers: { "apollo-require-preflight": "true" } });
  const body = (await response.json()) as { data: Data };
  return { cache: response.headers.get("x-cache"), data: body.data };
}

async function readStoryPage(instance: Instance, slug: string) {
  const { cache, data } = await publicRead(instance, StoryPageDocument, { slug });
  return { cache, story: data.story };
}

// PostgreSQL: two instances, each with its own listening connection, so a change travels between
// them through the database. PGlite admits one process: the one instance plays both parts, and
// its notifications travel in process.
const twoInstances = testDatabaseAdminUrl() !== null;

describe(
  twoInstances ? "two API instances on one PostgreSQL database" : "the API on the embedded database, which one process owns",
  { timeout: 600_000 },
  () => {
    let database: TestDatabase;
    let editor: string;
    let seeded: { storyId: string; slug: string };
    const servers: ManagedProcess[] = [];

    async function startInstance(name: string): Promise<Instance> {
      const server = startServerProcess(database.target, {
        RESPONSE_CACHE: "on",
        RESPONSE_CACHE_MAX_AGE: String(MAX_AGE),
        RESPONSE_CACHE_KEEP_SECONDS: String(MAX_AGE),
      });
      servers.push(server);
      const [, url] = await server.waitForOutput(/"url":"(http:\/\/[^"]+)"/, START_WAIT_MS);
      await server.waitForOutput(/"msg":"response cache listening for changes"/, START_WAIT_MS);
      return { name, server, url: url! };
    }

    beforeAll(async () => {
      database = await createTestDatabase();
      ({ editor, seeded } = await seedEditorAndApStory(database.target, "Cache Desk"));
    }, START_WAIT_MS);
    afterAll(async () => {
      for (const server of servers) await server.stop();
      await database?.drop();
    });

    it("shows a change made through either instance on the other's next public read once notified, and never caches a draft", async () => {
      const a = await startInstance("A");
      const b = twoInstances ? await startInstance("B") : a;
      const both = twoInstances ? [a, b] : [a];

      /** Makes a change through one instance and waits until the given ones have dropped the story's answers. */
      async function changeThenAwaitInvalidation(storyId: string, notified: Instance[], change: () => Promise<unknown>) {
        const before = notified.map((instance) => invalidationsOf(instance, storyId));
        await change();
        for (const [i, instance] of notified.entries()) {
          await waitUntil(
            () => invalidationsOf(instance, storyId) > before[i]!,
            `${instance.name} to drop story ${storyId}`,
            INVALIDATION_WAIT_MS,
          );
        }
      }

      // Both cache the published story, and a draft as not found.
      const draft = ok(
        await graphqlClient(a.url).graphql(
          CreateStoryDocument,
          { input: { headline: "Ceasefire talks resume", paragraphs: ["Talks resume on Monday."] } },
          editor,
        ),
      ).createStory.story!;
      for (const instance of both) {
        expect(await readStoryPage(instance, seeded.slug)).toMatchObject({ cache: "MISS", story: { id: seeded.storyId } });
        expect(await readStoryPage(instance, seeded.slug)).toMatchObject({ cache: "HIT", story: { id: seeded.storyId } });
        expect(await readStoryPage(instance, draft.slug)).toEqual({ cache: "MISS", story: null });
        expect(await readStoryPage(instance, draft.slug)).toEqual({ cache: "HIT", story: null });
      }

      // Published through A: B's next read shows it.
      await changeThenAwaitInvalidation(draft.id, [b], async () =>
        ok(await graphqlClient(a.url).graphql(PublishStoryDocument, { id: draft.id, v: draft.version }, editor)),
      );
      expect(await readStoryPage(b, draft.slug)).toMatchObject({ cache: "MISS", story: { status: "PUBLISHED" } });

      // A draft written and edited through B is never heard of, nor seen by the public, on either.
      const secret = ok(
        await graphqlClient(b.url).graphql(CreateStoryDocument, { input: { headline: "Unconfirmed: minister resigns" } }, editor),
      ).createStory.story!;
      ok(
        await graphqlClient(b.url).graphql(
          UpdateStoryDocument,
          { id: secret.id, v: secret.version, input: { summary: "Not yet." } },
          editor,
        ),
      );

      // The published story edited through B: A's next read shows it.
      const page = (await readStoryPage(a, seeded.slug)).story!;
      const lede = page.paragraphs[0]!;
      const text = `${lede.text} Officials confirmed the talks on Monday.`;
      await changeThenAwaitInvalidation(seeded.storyId, both, async () =>
        ok(
          await graphqlClient(b.url).graphql(
            UpdateParagraphDocument,
            { input: { paragraphId: lede.id, expectedVersion: page.version, text, minorEditReason: "Day of the week added" } },
            editor,
          ),
        ),
      );
      const edited = await readStoryPage(a, seeded.slug);
      expect(edited.cache).toBe("MISS");
      expect(edited.story!.paragraphs[0]!.text).toBe(text);

      // Notifications arrive in commit order: the draft's writes came before the edit that was heard.
      for (const instance of both) {
        expect(invalidationsOf(instance, secret.id)).toBe(0);
        expect(await readStoryPage(instance, secret.slug)).toMatchObject({ story: null });
        const front = await publicRead(instance, StoryHeadlinesDocument, { first: 100 });
        expect(front.data.stories.edges.map((edge) => edge.node.id).sort()).toEqual([seeded.storyId, draft.id].sort());
      }
    });
  },
);
