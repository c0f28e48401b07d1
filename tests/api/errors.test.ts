import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStoryDocument,
  type CreateStoryInput,
  SearchStorySlugsDocument,
  SourcesDocument,
  StoryHeadlinesDocument,
  StoryLookupDocument,
  SubmitStoryForReviewDocument,
  ViewerDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type GraphQLResponse, type TestApi } from "../support/api.js";

describe("errors a client can cause, over HTTP", () => {
  let api: TestApi;
  let reporter: string;

  beforeAll(async () => {
    api = await startTestApi();
    reporter = (await api.tokenFor("REPORTER")).token;
  });
  afterAll(() => api?.close());

  const create = (input: CreateStoryInput) => api.graphql(CreateStoryDocument, { input }, reporter);

  it("names the field of an input that breaks a documented limit, and writes nothing", async () => {
    const before = await api.prisma.story.count();
    const long = failure(await create({ headline: "x".repeat(301) }));
    expect(long).toMatchObject({ code: "BAD_USER_INPUT", field: "input.headline" });
    expect(long.message).toMatch(/300/);
    expect(failure(await create({ headline: "Fine", slug: "Not A Slug" }))).toMatchObject({ code: "BAD_USER_INPUT", field: "input.slug" });
    expect(failure(await create({ headline: "Fine", paragraphs: ["ok", "y".repeat(10_001)] }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.paragraphs[1]",
    });
    expect(failure(await create({ headline: "Fine", paragraphs: ["ok", "   "] }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.paragraphs[1]",
    });
    expect(await api.prisma.story.count()).toBe(before);
  });

  it("refuses a slug that is taken with CONFLICT", async () => {
    ok(await create({ headline: "First", slug: "same-slug" }));
    expect(failure(await create({ headline: "Second", slug: "same-slug" }))).toMatchObject({ code: "CONFLICT", field: "input.slug" });
    const second = ok(await create({ headline: "Same slug" })).createStory.story!;
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: second.id } })).slug).toBe("same-slug-2");
  });

  it("answers NOT_FOUND for ids that name nothing", async () => {
    const missing = "0190a5c4-0000-7000-8000-00000000dead";
    for (const id of [missing, "not-a-uuid"]) {
      const error = failure(await api.graphql(SubmitStoryForReviewDocument, { id, v: 1 }, reporter));
      expect(error).toMatchObject({ code: "NOT_FOUND", field: "id" });
    }
    expect(ok(await api.graphql(StoryLookupDocument, { id: "not-a-uuid" })).story).toBeNull();
  });

  it("refuses bad paging and search arguments by name", async () => {
    expect(failure(await api.graphql(StoryHeadlinesDocument, { first: 101 }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "first",
    });
    expect(failure(await api.graphql(StoryHeadlinesDocument, { after: "garbage" }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "after",
    });
    expect(failure(await api.graphql(SearchStorySlugsDocument, { query: "   " }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "query",
    });
    // Neither id nor slug.
    expect(failure(await api.graphql(StoryLookupDocument, {}))).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("answers UNAUTHENTICATED with 401 to a bad or malformed token, and to the public on staff operations", async () => {
    for (const authorization of ["Bearer nws_not-a-real-token", "Token abc"]) {
      const response = await fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({ query: print(ViewerDocument) }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as Omit<GraphQLResponse, "status">;
      expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect(failure(await api.graphql(CreateStoryDocument, { input: { headline: "x" } })).code).toBe("UNAUTHENTICATED");
  });

  // Malformed and invalid on purpose: no typed document can say these.
  it("reports GraphQL syntax and validation errors with their own codes", async () => {
    expect(failure(await api.rawGraphql(`{ stories(first: ) }`)).code).toBe("GRAPHQL_PARSE_FAILED");
    expect(failure(await api.rawGraphql(`{ stories { nope } }`)).code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  // Hostile on purpose: the shapes a client would never send.
  it("refuses queries too costly or too deep to serve, before running them", async () => {
    const costly = failure(
      await api.rawGraphql(
        `{ stories(first: 100) { edges { node { attributions { source { attributions { story { attributions { quote } } } } } } } } }`,
      ),
    );
    expect(costly.code).toBe("BAD_USER_INPUT");
    expect(costly.extensions.reason).toBe("QUERY_TOO_COSTLY");
    // One document, costed by its page size: a size it may have, then one too costly, then the first again.
    const paged = `query($n: Int) { stories(first: $n) { edges { node { attributions { source { attributions { story { id } } } } } } } }`;
    expect(ok(await api.rawGraphql(paged, { n: 1 }))).toMatchObject({ stories: { edges: expect.any(Array) } });
    expect(failure(await api.rawGraphql(paged, { n: 100 })).extensions.reason).toBe("QUERY_TOO_COSTLY");
    expect(failure(await api.rawGraphql(paged, { n: 100 })).extensions.reason).toBe("QUERY_TOO_COSTLY");
    expect(ok(await api.rawGraphql(paged, { n: 1 }))).toMatchObject({ stories: { edges: expect.any(Array) } });
    const deep = `{ stories { edges { node { attributions { story { attributions { story { attributions { story { attributions { story { attributions { story { id } } } } } } } } } } } } } }`;
    const tooDeep = await api.rawGraphql(deep);
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);
  });

  it("answers variables that do not fit their types by name, not with an internal error", async () => {
    const outOfRange = await api.graphql(StoryHeadlinesDocument, { first: 2 ** 40 });
    expect(failure(outOfRange).code).toBe("BAD_USER_INPUT");
    expect(failure(outOfRange).message).toMatch(/\$first/);
    // Invalid on purpose: a string for an Int, and a required variable left out, which the typed documents refuse to compile.
    const notANumber = await api.rawGraphql(`query($f: Int) { stories(first: $f) { totalCount } }`, { f: "abc" });
    expect(failure(notANumber).code).toBe("BAD_USER_INPUT");
    expect(failure(notANumber).message).toMatch(/\$f/);
    expect(failure(await api.rawGraphql(`query($q: String!) { searchStories(query: $q) { totalCount } }`, {})).code).toBe("BAD_USER_INPUT");
  });

  it("refuses NUL characters, which text cannot hold, naming where they are", async () => {
    const before = await api.prisma.story.count();
    const inVariables = failure(await create({ headline: "Null\u0000byte" }));
    expect(inVariables).toMatchObject({ code: "BAD_USER_INPUT", field: "input.headline" });
    // In the query text itself, escaped, where no typed document puts it.
    expect(failure(await api.rawGraphql(`{ searchStories(query: "a\\u0000b") { totalCount } }`))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "query",
    });
    expect(await api.prisma.story.count()).toBe(before);
  });

  it("refuses crafted cursors as bad input", async () => {
    const forge = (value: unknown[]) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const dashes = forge(["PUBLISHED_AT_DESC", null, "-".repeat(36)]);
    expect(failure(await api.graphql(StoryHeadlinesDocument, { after: dashes })).code).toBe("BAD_USER_INPUT");
    const numericName = forge(["NAME_ASC", 5, "0190a5c4-0000-7000-8000-000000000001"]);
    expect(failure(await api.graphql(SourcesDocument, { after: numericName }, reporter)).code).toBe("BAD_USER_INPUT");
  });

  it("answers a body that is not JSON with 400, not a crash", async () => {
    const response = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Omit<GraphQLResponse, "status">;
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
  });

  it("serves its health", async () => {
    const response = await fetch(api.url.replace("/graphql", "/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("internal failures", () => {
  it("are masked: no stack, SQL or driver detail reaches the client", async () => {
    const api = await startTestApi();
    try {
      // A schema out of step with the code: a fault of the server's own, not an outage.
      await api.prisma.$executeRawUnsafe("ALTER TABLE stories RENAME TO stories_elsewhere");
      const response = await api.graphql(StoryHeadlinesDocument, {});
      const error = failure(response);
      expect(error.code).toBe("INTERNAL_SERVER_ERROR");
      expect(error.message).toBe("Internal server error");
      expect(JSON.stringify(response)).not.toMatch(/prisma|pglite|select|stories_elsewhere|stack|at .*\.ts/i);
    } finally {
      await api.close().catch(() => {});
    }
  });
});
