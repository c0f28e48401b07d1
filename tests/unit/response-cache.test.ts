import { createHash } from "node:crypto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { publicCacheControl } from "../../src/response-cache/cache-headers.js";
import { publicCacheKey, type KeyedRequest } from "../../src/response-cache/cache-key.js";
import { ResponseCache, type NewAnswer } from "../../src/response-cache/response-cache.js";
import { waitUntil } from "../support/wait.js";

const QUERY = "query Story($slug: String!) { story(slug: $slug) { id headline } }";
const QUERY_HASH = createHash("sha256").update(QUERY).digest("hex");
const JSON_POST = { "content-type": "application/json" };
const PREFLIGHTED_GET = { "apollo-require-preflight": "true" };

const post = (body: unknown, headers: KeyedRequest["headers"] = JSON_POST): KeyedRequest => ({ method: "POST", headers, search: "", body });

function get(params: Record<string, unknown>, headers: KeyedRequest["headers"] = PREFLIGHTED_GET): KeyedRequest {
  const search = new URLSearchParams(
    Object.entries(params).map(([name, value]): [string, string] => [name, typeof value === "string" ? value : JSON.stringify(value)]),
  );
  return { method: "GET", headers, search: `?${search}`, body: undefined };
}

describe("the response cache key", () => {
  const variables = { slug: "iraq" };

  it("is the same for a query sent by GET or POST, as text or as its persisted hash", () => {
    const key = publicCacheKey(post({ query: QUERY, variables }));
    expect(key).toBeDefined();
    const persisted = { persistedQuery: { version: 1, sha256Hash: QUERY_HASH } };
    expect(publicCacheKey(get({ query: QUERY, variables }))).toBe(key);
    expect(publicCacheKey(post({ extensions: persisted, variables }))).toBe(key);
    expect(publicCacheKey(get({ extensions: persisted, variables }))).toBe(key);
    expect(publicCacheKey(post({ query: QUERY, extensions: persisted, variables }))).toBe(key);
  });

  it("differs with anything the answer depends on: query, variables, operation name, Accept", () => {
    const keys = [
      publicCacheKey(post({ query: QUERY, variables })),
      publicCacheKey(post({ query: `${QUERY} `, variables })),
      publicCacheKey(post({ query: QUERY, variables: { slug: "iraq-2" } })),
      publicCacheKey(post({ query: QUERY })),
      publicCacheKey(post({ query: QUERY, variables, operationName: "Story" })),
      publicCacheKey(post({ query: QUERY, variables }, { ...JSON_POST, accept: "application/graphql-response+json" })),
    ];
    expect(keys.every((key) => key !== undefined)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("gives a GET the same key each time, and another to the same URL with another Accept or content type", () => {
    const request = get({ query: QUERY, variables });
    const key = publicCacheKey(request);
    expect(key).toBe(publicCacheKey(post({ query: QUERY, variables })));
    expect(publicCacheKey({ ...request })).toBe(key);
    const graphqlResponse = publicCacheKey({ ...request, headers: { ...PREFLIGHTED_GET, accept: "application/graphql-response+json" } });
    expect(graphqlResponse).toBeDefined();
    expect(graphqlResponse).not.toBe(key);
    expect(publicCacheKey({ ...request, headers: { ...PREFLIGHTED_GET, "content-type": "text/plain" } })).toBeUndefined();
    expect(publicCacheKey({ ...request, headers: { ...PREFLIGHTED_GET, authorization: "Bearer abc" } })).toBeUndefined();
    expect(publicCacheKey({ ...request, headers: {} })).toBeUndefined();
    expect(publicCacheKey(request)).toBe(key);
  });

  it("keys a GET without a content type even after the same URL came with an empty one, which Apollo refuses", () => {
    const request = get({ query: `${QUERY} # asked first with an empty content type`, variables });
    expect(publicCacheKey({ ...request, headers: { ...PREFLIGHTED_GET, "content-type": "" } })).toBeUndefined();
    expect(publicCacheKey(request)).toBeDefined();
  });

  it("is none for a request with an Authorization header, even an empty one", () => {
    for (const authorization of ["Bearer abc", ""]) {
      expect(publicCacheKey(post({ query: QUERY }, { ...JSON_POST, authorization }))).toBeUndefined();
      expect(publicCacheKey(get({ query: QUERY }, { ...PREFLIGHTED_GET, authorization }))).toBeUndefined();
    }
  });

  it("is none for what Apollo would refuse as it stands, so a cached answer never reaches it", () => {
    const refused: [string, KeyedRequest][] = [
      // Apollo's CSRF prevention: a simple request without a preflight header.
      ["GET without a preflight header", get({ query: QUERY }, {})],
      ["GET with an empty preflight header", get({ query: QUERY }, { "apollo-require-preflight": "" })],
      ["POST as a form", post({ query: QUERY }, { "content-type": "text/plain" })],
      ["GET with a content type other than JSON", get({ query: QUERY }, { ...PREFLIGHTED_GET, "content-type": "text/plain" })],
      ["a repeated GET parameter", { ...get({ query: QUERY }), search: `?query=${encodeURIComponent(QUERY)}&query=x` }],
      ["GET variables that are not a JSON object", get({ query: QUERY, variables: "[1]" })],
      ["GET variables that are not JSON", get({ query: QUERY, variables: "{slug" })],
      ["POST variables that are not an object", post({ query: QUERY, variables: "{}" })],
      ["an operation name that is not a string", post({ query: QUERY, operationName: 1 })],
      ["a body that is not an object", post([{ query: QUERY }])],
      ["no query and no hash", post({ variables })],
      [
        "a hash that is not the query's",
        post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }),
      ],
      ["a persisted query of an unknown version", post({ extensions: { persistedQuery: { version: 2, sha256Hash: QUERY_HASH } } })],
      ["another method", { ...post({ query: QUERY }), method: "PUT" }],
    ];
    for (const [what, request] of refused) expect(publicCacheKey(request), what).toBeUndefined();
  });
});

const STORY_A = "01a23076-4110-769c-99fd-10b22057ded4";
const STORY_B = "01a23076-4110-769c-99fd-10b22057ded5";

function answer(storyIds: string[], dependsOnAllStories = false, body = "{}"): NewAnswer {
  return { body: Buffer.from(body), contentType: "application/json", etag: '"x"', storyIds, dependsOnAllStories, storedAt: Date.now() };
}

function listeningCache(options: Partial<ConstructorParameters<typeof ResponseCache>[0]> = {}): ResponseCache {
  const cache = new ResponseCache({ maxEntries: 100, maxBytes: 1_000_000, keepSeconds: 60, log: pino({ level: "silent" }), ...options });
  cache.listeningStarted();
  return cache;
}

/** A freshness barrier whose waits the test ends by hand, in any order. */
function manualBarrier() {
  const pending: (() => void)[] = [];
  return {
    readsCaughtUp: () => new Promise<void>((resolve) => pending.push(resolve)),
    release: (index: number) => pending[index]!(),
    waits: () => pending.length,
  };
}

/** Lets the barrier's then() callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the response cache", () => {
  it("stores nothing until it listens for changes, nor after it stops", () => {
    const cache = new ResponseCache({ maxEntries: 10, maxBytes: 10_000, keepSeconds: 60, log: pino({ level: "silent" }) });
    expect(cache.storeIfCurrent(cache.ticket(), "a", answer([STORY_A]))).toBeUndefined();
    cache.listeningStarted();
    expect(cache.storeIfCurrent(cache.ticket(), "a", answer([STORY_A]))).toBeDefined();
    const ticket = cache.ticket();
    cache.listeningStopped();
    expect(cache.lookup("a")).toBeUndefined();
    expect(cache.storeIfCurrent(ticket, "b", answer([STORY_A]))).toBeUndefined();
    expect(cache.storeIfCurrent(cache.ticket(), "b", answer([STORY_A]))).toBeUndefined();
    expect(cache.size).toBe(0);
    // Listening again after a reconnection: what changed in between is unknown, so nothing stored before survives.
    cache.listeningStarted();
    cache.storeIfCurrent(cache.ticket(), "c", answer([STORY_A]));
    cache.listeningStarted();
    expect(cache.lookup("c")).toBeUndefined();
  });

  it("does not store an answer computed across an invalidation, even of another story", () => {
    const cache = listeningCache();
    const before = cache.ticket();
    // The request reads the old text; the change commits and its notification arrives; then it tries to store.
    cache.invalidate([STORY_B]);
    expect(cache.storeIfCurrent(before, "page", answer([STORY_A]))).toBeUndefined();
    expect(cache.lookup("page")).toBeUndefined();
    // A request that began after the invalidation read the new text.
    expect(cache.storeIfCurrent(cache.ticket(), "page", answer([STORY_A]))).toBeDefined();
    expect(cache.lookup("page")).toBeDefined();
  });

  it("drops the answers that hold a changed story and those that depend on every story, and keeps the rest", () => {
    const cache = listeningCache();
    cache.storeIfCurrent(cache.ticket(), "page A", answer([STORY_A]));
    cache.storeIfCurrent(cache.ticket(), "page B", answer([STORY_B]));
    cache.storeIfCurrent(cache.ticket(), "front page", answer([STORY_B], true));
    cache.storeIfCurrent(cache.ticket(), "story not found", answer([], true));
    expect(cache.invalidate([STORY_A])).toBe(3);
    expect(cache.lookup("page B")).toBeDefined();
    expect([cache.lookup("page A"), cache.lookup("front page"), cache.lookup("story not found")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    cache.storeIfCurrent(cache.ticket(), "page A", answer([STORY_A]));
    expect(cache.invalidate("all")).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("after an invalidation, stores only what began once the freshness barrier said reads see the change", async () => {
    const barrier = manualBarrier();
    const cache = listeningCache({ freshness: barrier });
    barrier.release(0); // The one listeningStarted() asked for.
    await settle();
    cache.invalidate([STORY_A]);
    // Began while a replica may still serve the old text: never stored, even if it ends after the replica caught up.
    const early = cache.ticket();
    barrier.release(1);
    await settle();
    expect(cache.storeIfCurrent(early, "page", answer([STORY_A]))).toBeUndefined();
    expect(cache.storeIfCurrent(cache.ticket(), "page", answer([STORY_A]))).toBeDefined();
  });

  it("waits for the barrier of the latest invalidation, not of an earlier one that resolves late", async () => {
    const barrier = manualBarrier();
    const cache = listeningCache({ freshness: barrier });
    cache.invalidate([STORY_A]);
    cache.invalidate([STORY_B]);
    expect(barrier.waits()).toBe(3);
    barrier.release(0);
    barrier.release(1);
    await settle();
    expect(cache.storeIfCurrent(cache.ticket(), "page", answer([STORY_A]))).toBeUndefined();
    barrier.release(2);
    await settle();
    expect(cache.storeIfCurrent(cache.ticket(), "page", answer([STORY_A]))).toBeDefined();
  });

  it("holds at most its entries and bytes, dropping the least recently used", () => {
    const byEntries = listeningCache({ maxEntries: 2 });
    for (const key of ["a", "b"]) byEntries.storeIfCurrent(byEntries.ticket(), key, answer([STORY_A]));
    byEntries.lookup("a");
    byEntries.storeIfCurrent(byEntries.ticket(), "c", answer([STORY_A]));
    expect([byEntries.lookup("a"), byEntries.lookup("b"), byEntries.lookup("c")].map(Boolean)).toEqual([true, false, true]);

    const byBytes = listeningCache({ maxBytes: 250 });
    for (const key of ["a", "b", "c"]) byBytes.storeIfCurrent(byBytes.ticket(), key, answer([STORY_A], false, "x".repeat(100)));
    expect([byBytes.lookup("a"), byBytes.lookup("b"), byBytes.lookup("c")].map(Boolean)).toEqual([false, true, true]);
    // Larger than the whole cache: left out, though the answer is current.
    expect(byBytes.storeIfCurrent(byBytes.ticket(), "huge", answer([STORY_A], false, "x".repeat(300)))).toBeDefined();
    expect(byBytes.lookup("huge")).toBeUndefined();
  });
});

/** The next embargo lift as the database would say it, answered by hand; each read is counted. */
function manualLift() {
  const pending: ((at: Date | null) => void)[] = [];
  return {
    nextEmbargoLift: () => new Promise<Date | null>((resolve) => pending.push(resolve)),
    answer: (index: number, at: Date | null) => pending[index]!(at),
    reads: () => pending.length,
  };
}

const HOUR_MS = 3_600_000;
const SETTINGS = {
  enabled: true,
  maxEntries: 100,
  maxBytes: 1_000_000,
  maxAgeSeconds: 60,
  keepSeconds: 3600,
  staleWhileRevalidateSeconds: 30,
};

describe("the response cache and embargoes", () => {
  it("stores an answer once the next lift is known, read from before the answer began, and reads it again after every invalidation", async () => {
    const lift = manualLift();
    const cache = listeningCache({ keepSeconds: 3600, nextEmbargoLift: lift.nextEmbargoLift });
    expect(lift.reads()).toBe(1);
    const ticket = cache.ticket();
    expect(cache.storeIfCurrent(ticket, "front page", answer([STORY_A], true))).toBeUndefined();
    // The read began with the generation, before the ticket: its answer holds for the request.
    lift.answer(0, null);
    await settle();
    expect(cache.storeIfCurrent(ticket, "front page", answer([STORY_A], true))).toMatchObject({ liftAt: null });

    cache.invalidate([STORY_B]);
    expect(lift.reads()).toBe(2);
    expect(cache.storeIfCurrent(cache.ticket(), "front page", answer([STORY_A], true))).toBeUndefined();
    // Invalidated again while the lift is read: one read at a time, then one for the latest generation.
    cache.invalidate([STORY_B]);
    expect(lift.reads()).toBe(2);
    lift.answer(1, null);
    await settle();
    expect(lift.reads()).toBe(3);
    const latest = cache.ticket();
    expect(cache.storeIfCurrent(latest, "front page", answer([STORY_A], true))).toBeUndefined();
    lift.answer(2, null);
    await settle();
    expect(cache.storeIfCurrent(latest, "front page", answer([STORY_A], true))).toBeDefined();
  });

  it("lets a miss begin only once the lift of the latest generation is known, even when an invalidation overtook the read", async () => {
    const lift = manualLift();
    const cache = listeningCache({ keepSeconds: 3600, nextEmbargoLift: lift.nextEmbargoLift });
    let known = false;
    const waiting = cache.liftKnown().then(() => (known = true));
    cache.invalidate([STORY_B]);
    lift.answer(0, null);
    await settle();
    // The read it waited for answered an older generation: a miss begun now could not be stored.
    expect(known).toBe(false);
    expect(lift.reads()).toBe(2);
    lift.answer(1, null);
    await waiting;
    expect(cache.storeIfCurrent(cache.ticket(), "front page", answer([STORY_A], true))).toBeDefined();
  });

  it("does not hold a miss back for ever under a stream of changes: it goes on, and its answer is not stored", async () => {
    const lift = manualLift();
    const cache = listeningCache({ keepSeconds: 3600, nextEmbargoLift: lift.nextEmbargoLift });
    let known = false;
    const waiting = cache.liftKnown().then(() => (known = true));
    for (let read = 0; !known; read += 1) {
      cache.invalidate([STORY_B]);
      lift.answer(read, null);
      await settle();
      expect(read).toBeLessThan(10);
    }
    await waiting;
    expect(cache.storeIfCurrent(cache.ticket(), "front page", answer([STORY_A], true))).toBeUndefined();
  });

  it("ends an answer that a lift can change at the next lift, and no cache may keep it past it; answers of given stories go on", async () => {
    const lift = manualLift();
    const cache = listeningCache({ keepSeconds: 3600, nextEmbargoLift: lift.nextEmbargoLift });
    const storedAt = Date.now();
    const liftAt = storedAt + 2 * HOUR_MS;
    lift.answer(0, new Date(liftAt));
    await settle();
    const frontPage = cache.storeIfCurrent(cache.ticket(), "front page", { ...answer([STORY_A], true), storedAt })!;
    expect(frontPage.liftAt).toBe(liftAt);
    const storyPage = cache.storeIfCurrent(cache.ticket(), "story page", { ...answer([STORY_A]), storedAt })!;
    expect(storyPage.liftAt).toBeNull();
    // Sent long before the lift, an answer is kept and served stale as any other; as the lift
    // nears, first no longer stale, then for no longer than what is left.
    const sentAt = (beforeLift: number) => publicCacheControl(frontPage, SETTINGS, liftAt - beforeLift);
    expect(sentAt(HOUR_MS)).toBe("public, max-age=60, stale-while-revalidate=30");
    expect(sentAt(90_000)).toBe("public, max-age=60, stale-while-revalidate=30");
    expect(sentAt(89_999)).toBe("public, max-age=60");
    expect(sentAt(45_500)).toBe("public, max-age=45");
    expect(sentAt(500)).toBe("public, max-age=0");
    expect(publicCacheControl(storyPage, SETTINGS, liftAt - 500)).toBe("public, max-age=60, stale-while-revalidate=30");
  });

  it("keeps an answer for the configured time at most, or until the lift that can change it, whichever is sooner", async () => {
    const lift = manualLift();
    const cache = listeningCache({ keepSeconds: 1, nextEmbargoLift: lift.nextEmbargoLift });
    const liftAt = Date.now() + 500;
    lift.answer(0, new Date(liftAt));
    await settle();
    const ticket = cache.ticket();
    const storedAt = Date.now();
    expect(cache.storeIfCurrent(ticket, "story page", answer([STORY_A]))).toBeDefined();
    expect(cache.storeIfCurrent(ticket, "front page", answer([STORY_A], true))).toBeDefined();
    await waitUntil(() => cache.lookup("front page") === undefined, "the front page to go at the lift", 60_000);
    expect(Date.now()).toBeGreaterThanOrEqual(liftAt);
    // The lift cannot change a given story's page: it goes once its second is up, not before.
    await waitUntil(() => cache.lookup("story page") === undefined, "the story page to go after a second", 60_000);
    expect(Date.now() - storedAt).toBeGreaterThanOrEqual(1000);
  });

  it("drops the answer at the lift, never stores one begun before it, and reads the next lift for those begun after", async () => {
    const lift = manualLift();
    const cache = listeningCache({ keepSeconds: 3600, nextEmbargoLift: lift.nextEmbargoLift });
    const liftAt = Date.now() + 200;
    lift.answer(0, new Date(liftAt));
    await settle();
    const before = cache.ticket();
    expect(cache.storeIfCurrent(before, "front page", answer([STORY_A], true))).toBeDefined();
    await waitUntil(() => cache.lookup("front page") === undefined, "the answer to expire at the lift", 60_000);
    expect(Date.now()).toBeGreaterThanOrEqual(liftAt);
    // Begun before the lift, stored after it: it may be out of date.
    expect(cache.storeIfCurrent(before, "front page", answer([STORY_A], true))).toBeUndefined();
    // The first ticket after the lift has the next one read.
    const after = cache.ticket();
    expect(lift.reads()).toBe(2);
    lift.answer(1, null);
    await settle();
    expect(cache.storeIfCurrent(before, "front page", answer([STORY_A], true))).toBeUndefined();
    expect(cache.storeIfCurrent(after, "front page", answer([STORY_A], true))).toBeDefined();
  });
});
