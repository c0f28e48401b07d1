import { createHash } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStoryDocument,
  PublishStoryDocument,
  StoryHeadlinesDocument,
  StoryPageDocument,
  UnpublishStoryDocument,
  UpdateParagraphDocument,
  UpdatePhotoDocument,
  UpdateSourceDocument,
  UpdateStoryDocument,
} from "../generated/graphql.js";
import { ok, startTestApiOn } from "../support/api.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { waitUntil } from "../support/wait.js";
import { collectLogLines } from "../support/logs.js";

/** Long enough that no answer expires during the test, however slow the machine. */
const MAX_AGE = 3600;
const KEEP_SECONDS = 3600;
const STALE_WHILE_REVALIDATE = 60;
/** Waits are for a notification that travels through the database; generous, never a measure of speed. */
const INVALIDATION_WAIT_MS = 60_000;

interface Read<Data> {
  status: number;
  headers: Headers;
  data: Data;
  errors?: unknown[];
}

describe("the public response cache, in one server", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  let editor: string;
  let seeded: { storyId: string; slug: string };
  const { sink, lines: logLines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApiOn(
      database,
      {
        RESPONSE_CACHE: "on",
        RESPONSE_CACHE_MAX_AGE: String(MAX_AGE),
        RESPONSE_CACHE_KEEP_SECONDS: String(KEEP_SECONDS),
        RESPONSE_CACHE_STALE_WHILE_REVALIDATE: String(STALE_WHILE_REVALIDATE),
      },
      sink,
    );
    editor = (await api.tokenFor("EDITOR")).token;
    await waitUntil(
      () => logLines.some((line) => line.msg === "response cache listening for changes"),
      "the server to listen for changes",
      INVALIDATION_WAIT_MS,
    );
    // The seed's notification arrives when it will: an answer begun before it would not be stored.
    seeded = await api.seedApStory();
    await waitUntil(() => invalidationsOf(seeded.storyId) > 0, "the cache to hear of the seed", INVALIDATION_WAIT_MS);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  /** How many invalidations this server has logged that drop answers holding the story. */
  const invalidationsOf = (storyId: string) =>
    logLines.filter((line) => line.msg === "response cache invalidated" && (line.stories === "all" || line.stories.includes(storyId)))
      .length;

  /**
   * Makes a change and waits until the server has dropped the story's answers: its log line says
   * so. The read after that must be fresh, however long the notification took to arrive.
   */
  async function changeThenAwaitInvalidation(storyId: string, change: () => Promise<unknown>): Promise<void> {
    const before = invalidationsOf(storyId);
    await change();
    await waitUntil(() => invalidationsOf(storyId) > before, `the invalidation of story ${storyId}`, INVALIDATION_WAIT_MS);
  }

  async function read<Data, Variables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    options: { method?: "GET" | "POST"; token?: string; extensions?: object; withoutQuery?: boolean } = {},
  ): Promise<Read<Data>> {
    const query = options.withoutQuery ? undefined : print(document);
    const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    let response: Response;
    if (options.method === "POST") {
      response = await fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...authorization },
        body: JSON.stringify({ query, variables, extensions: options.extensions }),
      });
    } else {
      const params = new URLSearchParams({ variables: JSON.stringify(variables) });
      if (query) params.set("query", query);
      if (options.extensions) params.set("extensions", JSON.stringify(options.extensions));
      response = await fetch(`${api.url}?${params}`, { headers: { "apollo-require-preflight": "true", ...authorization } });
    }
    const body = (await response.json()) as { data: Data; errors?: unknown[] };
    return { status: response.status, headers: response.headers, ...body };
  }

  const storyPage = (options?: Parameters<typeof read>[2]) => read(StoryPageDocument, { slug: seeded.slug }, options);

  it("serves a public story page from the cache, with headers for any cache, until the story changes", async () => {
    const first = await storyPage();
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("cache-control")).toBe(`public, max-age=${MAX_AGE}, stale-while-revalidate=${STALE_WHILE_REVALIDATE}`);
    expect(first.headers.get("surrogate-key")).toBe(`story-${seeded.storyId}`);
    expect(first.headers.get("vary")).toMatch(/Accept, Authorization/);

    const statementsBefore = api.statements.length;
    const second = await storyPage();
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(api.statements.length).toBe(statementsBefore);
    // Every change drops it, so it is as fresh as a new answer: no Age that would shorten its max-age downstream.
    expect(second.headers.get("age")).toBeNull();
    expect(second.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("surrogate-key")).toBe(`story-${seeded.storyId}`);
    expect(second.data).toEqual(first.data);

    const lede = first.data.story!.paragraphs[0]!;
    const text = `${lede.text} The ministry confirmed it on Monday.`;
    await changeThenAwaitInvalidation(seeded.storyId, async () =>
      ok(
        await api.graphql(
          UpdateParagraphDocument,
          {
            input: {
              paragraphId: lede.id,
              expectedVersion: first.data.story!.version,
              text,
              correction: { kind: "CLARIFICATION", text: "The ministry's confirmation was added." },
            },
          },
          editor,
        ),
      ),
    );
    const afterEdit = await storyPage();
    expect(afterEdit.headers.get("x-cache")).toBe("MISS");
    expect(afterEdit.data.story!.paragraphs[0]!.text).toBe(text);
    expect((await storyPage()).headers.get("x-cache")).toBe("HIT");
  });

  it("answers a hit as express would: request id, CORS headers, and 304 when the client has it already", async () => {
    const url = `${api.url}?${new URLSearchParams({ query: print(StoryPageDocument), variables: JSON.stringify({ slug: seeded.slug }) })}`;
    const headers = { "apollo-require-preflight": "true", origin: "https://www.example.org", "x-request-id": "reader-7" };
    const hit = await fetch(url, { headers });
    expect([hit.status, hit.headers.get("x-cache"), hit.headers.get("x-request-id")]).toEqual([200, "HIT", "reader-7"]);
    expect(hit.headers.get("access-control-allow-origin")).toBe("https://www.example.org");
    expect(hit.headers.get("vary")).toBe("Origin, Accept, Authorization");
    // As a CDN revalidates; fetch would add Cache-Control: no-cache (a reload) to a conditional request of its own.
    const revalidated = await fetch(url, {
      headers: { ...headers, "if-none-match": hit.headers.get("etag")!, "cache-control": "max-age=0" },
    });
    expect([revalidated.status, revalidated.headers.get("x-cache"), await revalidated.text()]).toEqual([304, "HIT", ""]);
    await waitUntil(
      () => logLines.some((line) => line.req?.id === "reader-7" && line.res?.statusCode === 200),
      "the hit's log line",
      INVALIDATION_WAIT_MS,
    );
  });

  it("serves a query sent by POST or as a persisted hash from the same entry, and says no-store to a POST", async () => {
    const byGet = await storyPage();
    expect(byGet.headers.get("x-cache")).toBe("HIT");
    const byPost = await storyPage({ method: "POST" });
    expect([byPost.headers.get("x-cache"), byPost.headers.get("cache-control")]).toEqual(["HIT", "no-store"]);
    expect(byPost.data).toEqual(byGet.data);
    const sha256Hash = createHash("sha256").update(print(StoryPageDocument)).digest("hex");
    const byHash = await storyPage({ extensions: { persistedQuery: { version: 1, sha256Hash } }, withoutQuery: true });
    expect(byHash.headers.get("x-cache")).toBe("HIT");
    expect(byHash.data).toEqual(byGet.data);
  });

  it("never stores staff answers or errors, and lets no draft into the cache", async () => {
    const draft = ok(
      await api.graphql(
        CreateStoryDocument,
        { input: { headline: "Talks resume in Geneva", paragraphs: ["Talks resume on Monday."] } },
        editor,
      ),
    ).createStory.story!;
    const draftPage = (token?: string) => read(StoryPageDocument, { slug: draft.slug }, { token });
    const frontPage = () => read(StoryHeadlinesDocument, { first: 100 });

    const publicView = await draftPage();
    expect(publicView.data.story).toBeNull();
    expect(publicView.headers.get("surrogate-key")).toBe("stories");
    const front = await frontPage();
    expect(front.headers.get("surrogate-key")).toBe(`story-${seeded.storyId} stories`);
    expect(front.data.stories.edges.map((edge) => edge.node.id)).not.toContain(draft.id);

    const staffView = await draftPage(editor);
    expect(staffView.data.story?.headline).toBe("Talks resume in Geneva");
    expect(staffView.headers.get("cache-control")).toBe("private, no-store");
    expect(staffView.headers.get("x-cache")).toBeNull();
    const again = await draftPage();
    expect([again.headers.get("x-cache"), again.data.story]).toEqual(["HIT", null]);
    expect((await frontPage()).headers.get("x-cache")).toBe("HIT");

    const invalid = await read(StoryPageDocument, { slug: 42 as unknown as string });
    expect([invalid.status, invalid.headers.get("cache-control"), invalid.errors?.length]).toEqual([400, "no-store", 1]);
    expect((await read(StoryPageDocument, { slug: 42 as unknown as string })).headers.get("x-cache")).toBe("MISS");

    // A draft's edits are silent; publishing announces the story, and it is the first time anything did.
    const edited = ok(
      await api.graphql(UpdateStoryDocument, { id: draft.id, v: draft.version, input: { summary: "Talks resume." } }, editor),
    );
    await changeThenAwaitInvalidation(draft.id, async () =>
      ok(await api.graphql(PublishStoryDocument, { id: draft.id, v: edited.updateStory.story!.version }, editor)),
    );
    expect(invalidationsOf(draft.id)).toBe(1);
    const published = await draftPage();
    expect([published.headers.get("x-cache"), published.data.story?.status]).toEqual(["MISS", "PUBLISHED"]);
    expect(published.headers.get("surrogate-key")).toBe(`story-${draft.id}`);
    const frontAfter = await frontPage();
    expect(frontAfter.headers.get("x-cache")).toBe("MISS");
    expect(frontAfter.data.stories.edges.map((edge) => edge.node.id)).toContain(draft.id);

    await changeThenAwaitInvalidation(draft.id, async () =>
      ok(await api.graphql(UnpublishStoryDocument, { id: draft.id, v: published.data.story!.version }, editor)),
    );
    const unpublished = await draftPage();
    expect([unpublished.headers.get("x-cache"), unpublished.data.story]).toEqual(["MISS", null]);
  });

  it("counts a change to a photo or a source of a published story as a change to the story", async () => {
    await storyPage();
    expect((await storyPage()).headers.get("x-cache")).toBe("HIT");
    const placement = await api.prisma.storyPhoto.findFirstOrThrow({ where: { storyId: seeded.storyId } });
    await changeThenAwaitInvalidation(seeded.storyId, async () =>
      ok(
        await api.graphql(
          UpdatePhotoDocument,
          { id: placement.photoId, input: { caption: "Iraqi officers at a briefing in Baghdad.", minorEditReason: "Caption shortened" } },
          editor,
        ),
      ),
    );
    const afterPhoto = await storyPage();
    expect(afterPhoto.headers.get("x-cache")).toBe("MISS");
    expect(afterPhoto.data.story!.photos.map((photo) => photo.photo.caption)).toContain("Iraqi officers at a briefing in Baghdad.");

    const quoted = await api.prisma.attribution.findFirstOrThrow({
      where: { storyId: seeded.storyId, confirmed: true, source: { kind: "PERSON" } },
      include: { source: true },
    });
    const renamed = `${quoted.source.name} Jr.`;
    await changeThenAwaitInvalidation(seeded.storyId, async () =>
      ok(await api.graphql(UpdateSourceDocument, { id: quoted.sourceId, input: { name: renamed } }, editor)),
    );
    const afterSource = await storyPage();
    expect(afterSource.headers.get("x-cache")).toBe("MISS");
    expect(afterSource.data.story!.sources.map((source) => source.name)).toContain(renamed);
  });
});

describe("the public response cache, past the HTTP max-age", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  const { sink, lines: logLines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApiOn(database, { RESPONSE_CACHE: "on", RESPONSE_CACHE_MAX_AGE: "1", RESPONSE_CACHE_KEEP_SECONDS: "3600" }, sink);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it("keeps an answer after its max-age is up, and sends it with the whole max-age again", async () => {
    await waitUntil(
      () => logLines.some((line) => line.msg === "response cache listening for changes"),
      "the server to listen for changes",
      INVALIDATION_WAIT_MS,
    );
    const seeded = await api.seedApStory();
    const url = `${api.url}?${new URLSearchParams({ query: print(StoryPageDocument), variables: JSON.stringify({ slug: seeded.slug }) })}`;
    const get = () => fetch(url, { headers: { "apollo-require-preflight": "true" } });
    // The seed's notification arrives when it will; an answer begun before it is not stored.
    await expect.poll(async () => (await get()).headers.get("x-cache"), { timeout: INVALIDATION_WAIT_MS }).toBe("HIT");
    // Past its max-age of 1 s.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const statementsBefore = api.statements.length;
    const later = await get();
    expect({
      cache: later.headers.get("x-cache"),
      age: later.headers.get("age"),
      cacheControl: later.headers.get("cache-control"),
    }).toEqual({
      cache: "HIT",
      age: null,
      cacheControl: "public, max-age=1, stale-while-revalidate=30",
    });
    expect(api.statements.length).toBe(statementsBefore);
  });
});
