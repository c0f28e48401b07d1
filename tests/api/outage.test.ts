import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import { RETRY_AFTER_SECONDS } from "../../src/errors.js";
import { applyPendingMigrations } from "../../src/db/migrate/migrations.js";
import { ViewerDocument } from "../generated/graphql.js";
import { ok, startTestApiOn } from "../support/api.js";
import { createPostgresCluster, type PostgresCluster } from "../support/cluster.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { collectLogLines } from "../support/logs.js";

type Api = Awaited<ReturnType<typeof startTestApiOn>>;

async function post(api: Api, query: string, token?: string) {
  const response = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), text, body: JSON.parse(text) };
}

const health = (api: Api) => fetch(api.url.replace("/graphql", "/health"));

/** What every call must get while the database is gone: a retryable 503 that gives nothing away. */
async function expectUnavailable(api: Api, token: string) {
  // The public read fails inside execution; the signed-in ones already while reading the token.
  const calls = [
    post(api, "{ stories(first: 1) { totalCount } }"),
    post(api, "{ viewer { id } }", token),
    post(api, `mutation { createStory(input: { headline: "During the outage" }) { story { id } } }`, token),
  ];
  for (const response of await Promise.all(calls)) {
    expect(response.status).toBe(503);
    expect(response.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.body.errors[0].extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect(response.text).not.toMatch(/prisma|pglite|select|econnrefused|127\.0\.0\.1|stack|at .*\.ts/i);
  }
  expect((await health(api)).status).toBe(503);
}

if (testDatabaseAdminUrl()) {
  describe("a PostgreSQL server that goes down under the running API", () => {
    let cluster: PostgresCluster;
    let api: Api;
    let token: string;
    const log = collectLogLines();

    beforeAll(async () => {
      cluster = await createPostgresCluster();
      await applyPendingMigrations(cluster.target);
      api = await startTestApiOn({ target: cluster.target, drop: async () => {} }, {}, log.sink);
      token = (await api.tokenFor("EDITOR")).token;
    });
    afterAll(async () => {
      try {
        await api?.stop();
      } finally {
        await cluster?.drop();
      }
    });

    it("answers 503 SERVICE_UNAVAILABLE with Retry-After while it is stopped, and serves again once it is back", async () => {
      expect(ok(await api.graphql(ViewerDocument, {}, token)).viewer?.id).toBeTruthy();
      await cluster.stop();
      try {
        await expectUnavailable(api, token);
      } finally {
        await cluster.start();
      }
      expect(ok(await api.graphql(ViewerDocument, {}, token)).viewer?.id).toBeTruthy();
      expect((await health(api)).status).toBe(200);
      expect(log.errorLines()).toEqual([]);
    });

    it("answers /health with 503 while the database takes connections and queries but answers none", async () => {
      await cluster.freeze();
      try {
        // Nothing but the health check's own time limit can end this request while the server is frozen.
        const response = await health(api);
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({ status: "database unavailable" });
      } finally {
        await cluster.thaw();
      }
      expect((await health(api)).status).toBe(200);
    });
  });
} else {
  describe("an embedded database that is closed under the running API", () => {
    let database: TestDatabase;
    let api: Api;
    const log = collectLogLines();

    beforeAll(async () => {
      database = await createTestDatabase();
      api = await startTestApiOn(database, {}, log.sink);
    });
    afterAll(async () => {
      try {
        await api?.stop().catch(() => {});
      } finally {
        await database?.drop();
      }
    });

    it("answers 503 SERVICE_UNAVAILABLE with Retry-After, and /health says so", async () => {
      const { token } = await api.tokenFor("EDITOR");
      await api.loseDatabase();
      await expectUnavailable(api, token);
      expect(log.errorLines()).toEqual([]);
    });
  });
}
