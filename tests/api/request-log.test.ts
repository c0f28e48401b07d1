import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { ok, startTestApiOn } from "../support/api.js";
import { collectLogLines } from "../support/logs.js";

describe("request logs", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  const { sink, lines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApiOn(database, {}, sink);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it("writes one JSON line per request with its id, operation, status and duration, and no token", async () => {
    const { token } = await api.tokenFor("EDITOR");
    const response = await fetch(api.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        cookie: `session=${token}`,
        "x-request-id": "desk-42",
        "user-agent": "desk-app/1.0",
      },
      body: JSON.stringify({ query: "query FrontPage { stories(first: 1) { totalCount } }", operationName: "FrontPage" }),
    });
    expect(response.headers.get("x-request-id")).toBe("desk-42");
    ok({ status: response.status, ...((await response.json()) as object) });
    // pino-http writes the line when the response finishes, which may be just after the client has it.
    const entryOf = (id: string) => lines.find((line) => line.req?.id === id);
    await expect.poll(() => entryOf("desk-42"), { timeout: 60_000 }).toBeDefined();
    const entry = entryOf("desk-42");
    expect(entry!.req.headers).toEqual({ "user-agent": "desk-app/1.0" });
    expect(entry).toMatchObject({ msg: "request completed", operationName: "FrontPage", res: { statusCode: 200 } });
    expect(typeof entry!.responseTime).toBe("number");
    // Of the request's headers, only who asked and through what; never a token or a cookie.
    expect(Object.keys(entry!.req.headers)).not.toContain("authorization");
    expect(entry!.res.headers).toMatchObject({ "content-type": expect.stringContaining("application/json") });
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it("writes one line per public GET, whether the lane answers it or hands it back to Apollo after a failed read", async () => {
    const seeded = await api.seedApStory();
    const query = "query Story($slug: String!) { story(slug: $slug) { headline } }";
    const getAs = (id: string) =>
      fetch(`${api.url}?${new URLSearchParams({ query, variables: JSON.stringify({ slug: seeded.slug }) })}`, {
        headers: { "apollo-require-preflight": "true", "x-request-id": id },
      });
    const linesOf = (id: string) => lines.filter((line) => line.req?.id === id && line.msg === "request completed");
    await getAs("public-1");
    const lanesBefore = api.laneAnswers();
    await getAs("public-2");
    expect(api.laneAnswers()).toBe(lanesBefore + 1);
    await api.prisma.$executeRawUnsafe(`ALTER TABLE stories RENAME TO stories_away`);
    try {
      expect((await getAs("public-3")).status).toBeLessThan(500);
    } finally {
      await api.prisma.$executeRawUnsafe(`ALTER TABLE stories_away RENAME TO stories`);
    }
    expect(api.laneAnswers()).toBe(lanesBefore + 1);
    for (const id of ["public-1", "public-2", "public-3"]) await expect.poll(() => linesOf(id).length, { timeout: 60_000 }).toBe(1);
    expect(linesOf("public-2")[0]).toMatchObject({ msg: "request completed", res: { statusCode: 200 } });
    expect(typeof linesOf("public-2")[0]!.responseTime).toBe("number");
  });
});

describe("request logs at LOG_LEVEL=warn", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  const { sink, lines, errorLines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApiOn(database, { LOG_LEVEL: "warn", RESPONSE_CACHE: "on" }, sink);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it("writes no request line, but every answer, a cache hit too, has its id, and an error line carries its request", async () => {
    const seeded = await api.seedApStory();
    const url = `${api.url}?${new URLSearchParams({ query: "query Story($slug: String!) { story(slug: $slug) { headline } }", variables: JSON.stringify({ slug: seeded.slug }) })}`;
    const get = (headers: Record<string, string> = {}) => fetch(url, { headers: { "apollo-require-preflight": "true", ...headers } });
    const miss = await get({ "x-request-id": "quiet-miss" });
    expect(miss.headers.get("x-request-id")).toBe("quiet-miss");
    // The cache listens, and hears of the seed, when it will: an answer begun before that is not stored.
    await expect.poll(async () => (await get()).headers.get("x-cache"), { timeout: 60_000 }).toBe("HIT");
    const hit = await get({ "x-request-id": "quiet-hit" });
    expect({ cache: hit.headers.get("x-cache"), id: hit.headers.get("x-request-id") }).toEqual({ cache: "HIT", id: "quiet-hit" });
    expect((await get()).headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const { token } = await api.tokenFor("EDITOR");
    await api.prisma.$executeRawUnsafe(`ALTER TABLE stories RENAME TO stories_away`);
    try {
      const failed = await fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "quiet-error" },
        body: JSON.stringify({ query: "{ stories(first: 1) { totalCount } }" }),
      });
      expect(failed.headers.get("x-request-id")).toBe("quiet-error");
      expect(((await failed.json()) as { errors?: unknown[] }).errors).toHaveLength(1);
    } finally {
      await api.prisma.$executeRawUnsafe(`ALTER TABLE stories_away RENAME TO stories`);
    }
    await expect.poll(() => errorLines().find((line) => line.req?.id === "quiet-error"), { timeout: 60_000 }).toBeDefined();
    expect(errorLines().find((line) => line.req?.id === "quiet-error")).toMatchObject({
      msg: "internal error",
      req: { id: "quiet-error", method: "POST", url: "/graphql" },
    });
    expect(lines.filter((line) => line.msg === "request completed")).toEqual([]);
  });
});
