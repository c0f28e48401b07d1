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
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "desk-42" },
      body: JSON.stringify({ query: "query FrontPage { stories(first: 1) { totalCount } }", operationName: "FrontPage" }),
    });
    expect(response.headers.get("x-request-id")).toBe("desk-42");
    ok({ status: response.status, ...((await response.json()) as object) });
    // pino-http writes the line when the response finishes, which may be just after the client has it.
    const entryOf = (id: string) => lines.find((line) => line.req?.id === id);
    await expect.poll(() => entryOf("desk-42"), { timeout: 60_000 }).toBeDefined();
    const entry = entryOf("desk-42");
    expect(entry).toMatchObject({ msg: "request completed", operationName: "FrontPage", res: { statusCode: 200 } });
    expect(typeof entry!.responseTime).toBe("number");
    expect(entry!.req.headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
