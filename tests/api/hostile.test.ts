import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CreatePhotoDocument,
  CreateStoryDocument,
  SearchStorySlugsDocument,
  StoryHeadlinesDocument,
  UpdatePhotoDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApiOn, type GraphQLResponse } from "../support/api.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { collectLogLines } from "../support/logs.js";

/**
 * Requests written to break the server rather than to use it. Each must get a clean client error
 * (a code, and the field at fault for bad input), never a 500 or an internal message, and must
 * leave no error-level line in the server's log, which is for faults of the server's own.
 */
describe("hostile requests", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  let reporter: string;
  const { sink, lines: logLines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApiOn(database, {}, sink);
    reporter = (await api.tokenFor("REPORTER")).token;
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });
  afterEach(() => {
    // pino level 50 is "error": what operators are paged for.
    const errorLines = logLines.filter((line) => line.level >= 50);
    logLines.length = 0;
    expect(errorLines).toEqual([]);
  });

  /** A POST with a body exactly as given, so that it can be what JSON.stringify would never write. */
  async function postRaw(body: string | Uint8Array, token?: string): Promise<GraphQLResponse> {
    const response = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  async function getQuery(params: Record<string, unknown>): Promise<GraphQLResponse> {
    const search = new URLSearchParams(
      Object.entries(params).map(([key, value]): [string, string] => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
    const response = await fetch(`${api.url}?${search}`, { headers: { "apollo-require-preflight": "true" } });
    return { status: response.status, ...((await response.json()) as object) };
  }

  it("refuses variables nested deeper than any input can be, before walking them, without a token", async () => {
    const searchQuery = "query($q: String!) { searchStories(query: $q) { totalCount } }";
    const deepList = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(3_000)}"x"${"}".repeat(3_000)}`;
    for (const body of [
      `{"query":${JSON.stringify(searchQuery)},"variables":{"q":${deepList}}}`,
      `{"query":${JSON.stringify(searchQuery)},"variables":{"q":"x","unused":${deepObject}}}`,
    ]) {
      const response = await postRaw(body);
      expect(response.status).toBe(400);
      expect(failure(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "variables" });
      expect(failure(response).message).toMatch(/nested/);
    }
  });

  it("refuses a forged search cursor whose rank no real number column can hold", async () => {
    await api.seedApStory();
    const search = (after: string) => api.graphql(SearchStorySlugsDocument, { query: "Iraq", first: 1, after });
    const forge = (rankJson: string) =>
      Buffer.from(`["RELEVANCE",${rankJson},"0190a5c4-0000-7000-8000-000000000001"]`).toString("base64url");
    for (const rank of ["1e308", "1e999", "-1", "1e-60"]) {
      expect(failure(await search(forge(rank))), rank).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    }
    const first = ok(await search(""));
    expect(first.searchStories.edges).toHaveLength(1);
    expect(ok(await search(first.searchStories.edges[0]!.cursor)).searchStories.edges).toEqual([]);
  });

  it("refuses dates the database cannot store, naming the field, wherever a date is taken", async () => {
    const createPhoto = (takenAt: string) => api.graphql(CreatePhotoDocument, { input: { takenAt } }, reporter);
    for (const takenAt of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"]) {
      expect(failure(await createPhoto(takenAt)), takenAt).toMatchObject({ code: "BAD_USER_INPUT", field: "input.takenAt" });
    }
    const earliest = ok(await createPhoto("0001-01-01T00:00:00Z")).createPhoto.photo!;
    expect(earliest.takenAt).toBe("0001-01-01T00:00:00.000Z");
    expect(ok(await createPhoto("9999-12-31T23:59:59.999Z")).createPhoto.photo!.takenAt).toBe("9999-12-31T23:59:59.999Z");

    const updated = await api.graphql(UpdatePhotoDocument, { id: earliest.id, input: { takenAt: "0000-12-31T00:00:00Z" } }, reporter);
    expect(failure(updated)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.takenAt" });

    const filtered = await api.graphql(StoryHeadlinesDocument, { filter: { publishedAfter: "0000-01-01T00:00:00Z" } });
    expect(failure(filtered)).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.publishedAfter" });
    // A literal in the query text reaches the server by another path than a variable.
    const literal = await api.rawGraphql(`{ stories(filter: { publishedBefore: "0000-06-01T00:00:00Z" }) { totalCount } }`);
    expect(failure(literal)).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.publishedBefore" });

    const cursor = Buffer.from(JSON.stringify(["PUBLISHED_AT_DESC", "0000-01-01T00:00:00.000Z", "0190a5c4-0000-7000-8000-000000000001"]));
    const forged = await api.graphql(StoryHeadlinesDocument, { after: cursor.toString("base64url") });
    expect(failure(forged)).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("refuses subscriptions over HTTP, which serves queries and mutations only (subscriptions go over graphql-ws)", async () => {
    const response = await api.rawGraphql(`subscription { deskActivity { kind } }`);
    expect(response.status).toBe(400);
    const error = failure(response);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/subscriptions are not served over HTTP/i);
    const overGet = await getQuery({ query: "subscription { deskActivity { kind } }" });
    expect(overGet.status).toBe(405);
    expect(failure(overGet).code).toBe("BAD_REQUEST");
  });

  it("serves automatic persisted queries, and answers a wrong hash or version as the client's error", async () => {
    const query = "{ stories(first: 1) { totalCount } }";
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const persisted = (hash: string, version: unknown = 1) => ({ persistedQuery: { version, sha256Hash: hash } });

    const unknown = await getQuery({ extensions: persisted(sha256Hash) });
    expect(failure(unknown).code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await postRaw(JSON.stringify({ query, extensions: persisted(sha256Hash) }));
    expect(ok(registered).stories.totalCount).toBeTypeOf("number");
    const byHash = await getQuery({ extensions: persisted(sha256Hash) });
    expect(ok(byHash).stories.totalCount).toBe(ok(registered).stories.totalCount);

    const wrongHash = await postRaw(JSON.stringify({ query, extensions: persisted("0".repeat(64)) }));
    expect(wrongHash.status).toBe(400);
    expect(failure(wrongHash)).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/sha.*does not match/i) });
    for (const extensions of [persisted(sha256Hash, 2), { persistedQuery: 7 }]) {
      const badVersion = await postRaw(JSON.stringify({ query, extensions }));
      expect(badVersion.status).toBe(400);
      expect(failure(badVersion)).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/persisted query version/i) });
    }
  });

  it("refuses a query nested too deeply to parse safely, before parsing it", async () => {
    const shapes = {
      objects: `{ stories(filter: ${"{a:".repeat(1_200)}1${"}".repeat(1_200)}) { totalCount } }`,
      lists: `{ stories(first: ${"[".repeat(2_400)}1${"]".repeat(2_400)}) { totalCount } }`,
      selections: `{${" stories {".repeat(1_600)} id${" }".repeat(1_600)} }`,
    };
    const answers: Record<string, GraphQLResponse> = {};
    for (const [shape, query] of Object.entries(shapes)) answers[shape] = await api.rawGraphql(query);
    // A URL cannot carry thousands of levels, but a GET is checked the same way.
    answers.get = await getQuery({ query: `{${" stories {".repeat(100)} id${" }".repeat(100)} }` });
    for (const [shape, answer] of Object.entries(answers)) {
      expect(answer.status, shape).toBe(400);
      const error = failure(answer);
      expect(error, shape).toMatchObject({ code: "BAD_USER_INPUT", field: "query", extensions: { reason: "QUERY_TOO_DEEP" } });
      expect(error.message).not.toMatch(/stack/i);
    }
  });

  it("refuses text that is not valid Unicode instead of storing replacement characters", async () => {
    const before = await api.prisma.story.count();
    const mutation = "mutation($input: CreateStoryInput!) { createStory(input: $input) { story { headline } } }";
    const loneSurrogate = await postRaw(
      `{"query":${JSON.stringify(mutation)},"variables":{"input":{"headline":"Iraq \\ud800 deal"}}}`,
      reporter,
    );
    expect(failure(loneSurrogate)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.headline" });
    const inList = await api.graphql(CreateStoryDocument, { input: { headline: "Fine", paragraphs: ["ok", "bad \udc00"] } }, reporter);
    expect(failure(inList)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.paragraphs[1]" });

    const invalidUtf8 = Buffer.concat([
      Buffer.from(`{"query":${JSON.stringify(mutation)},"variables":{"input":{"headline":"Iraq `),
      Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
      Buffer.from(` deal"}}}`),
    ]);
    const badBytes = await postRaw(new Uint8Array(invalidUtf8), reporter);
    expect(badBytes.status).toBe(400);
    expect(failure(badBytes)).toMatchObject({ code: "BAD_USER_INPUT", field: "body" });

    // graphql's own lexer already refuses lone surrogates in the query text.
    const inQuery = await postRaw(
      `{"query":"mutation { createStory(input: { headline: \\"Iraq \\ud800\\" }) { story { id } } }"}`,
      reporter,
    );
    expect(failure(inQuery).code).toBe("GRAPHQL_PARSE_FAILED");

    expect(await api.prisma.story.count()).toBe(before);
    const wellFormed = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Iraq \u{1F600} deal" } }, reporter));
    expect(wellFormed.createStory.story!.headline).toBe("Iraq \u{1F600} deal");
  });
});
