import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseAdminUrl } from "../../src/config.js";
import { applyPendingMigrations } from "../../src/db/migrate/migrations.js";
import { SEARCH_CANDIDATES } from "../../src/stories/story.service.js";
import { SearchPageDocument, type SearchPageQuery } from "../generated/graphql.js";
import { failure, ok, startTestApi, startTestApiOn, type TestApi } from "../support/api.js";
import { createPostgresCluster } from "../support/cluster.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { collectLogLines } from "../support/logs.js";

describe("full-text search, bounded to the most recent matches", () => {
  let api: TestApi;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    editor = (await api.tokenFor("EDITOR")).token;
    // More published stories about a lighthouse than a search ranks, published a minute apart and
    // created in another order; the word stands in the headline of some and one to four times in
    // the summary of the others, so that ranks differ and also tie. Then drafts about it, created
    // last, and three stories about kelp.
    await api.prisma.$executeRaw`
      INSERT INTO stories (id, slug, headline, summary, status, published_at, created_at, updated_at)
      SELECT gen_random_uuid(), 'lighthouse-' || n,
             CASE WHEN n % 5 = 0 THEN 'Lighthouse reopens ' || n ELSE 'Coast story ' || n END,
             repeat('The lighthouse keeper spoke. ', 1 + n % 4), 'PUBLISHED',
             timestamptz '2024-01-01' + n * interval '1 minute', timestamptz '2023-01-01' + (n * 7 % 1030) * interval '1 hour', now()
      FROM generate_series(1, ${SEARCH_CANDIDATES + 30}) n`;
    await api.prisma.$executeRaw`
      INSERT INTO stories (id, slug, headline, summary, status, created_at, updated_at)
      SELECT gen_random_uuid(), 'lighthouse-draft-' || n, 'Lighthouse draft ' || n, 'A lighthouse.', 'DRAFT',
             timestamptz '2025-01-01' + n * interval '1 hour', now()
      FROM generate_series(1, 20) n`;
    await api.prisma.$executeRaw`
      INSERT INTO stories (id, slug, headline, status, published_at, updated_at)
      SELECT gen_random_uuid(), 'kelp-' || n, 'Kelp forests return ' || n, 'PUBLISHED', timestamptz '2020-01-01' + n * interval '1 day', now()
      FROM generate_series(1, 3) n`;
    await api.prisma.$executeRaw`ANALYZE stories`;
  });
  afterAll(() => api?.close());

  /** Every result of a search, paging through it 100 at a time, and the count it gave. */
  async function everyResult(query: string, token?: string) {
    const ids: string[] = [];
    let after: string | null | undefined;
    let page: SearchPageQuery["searchStories"];
    do {
      page = ok(await api.graphql(SearchPageDocument, { query, first: 100, after }, token)).searchStories;
      ids.push(...page.edges.map((edge) => edge.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return { ids, totalCount: page.totalCount, totalCountIsExact: page.totalCountIsExact };
  }

  /** The candidates as the search's description says, in rank order, by one statement of their own. */
  async function expectedRanking(where: string, recency: string) {
    const rows = await api.prisma.$queryRawUnsafe<{ id: string }[]>(`
      SELECT candidates.id::text AS id FROM (
        SELECT id, ts_rank_cd(search_vector, websearch_to_tsquery('english', 'lighthouse')) AS rank FROM stories
         WHERE search_vector @@ websearch_to_tsquery('english', 'lighthouse') AND ${where}
         ORDER BY ${recency} LIMIT ${SEARCH_CANDIDATES}
      ) candidates ORDER BY candidates.rank DESC, candidates.id DESC`);
    return rows.map((row) => row.id);
  }

  it(`ranks the public's ${SEARCH_CANDIDATES} most recently published matches, and pages through each once, most relevant first`, async () => {
    const results = await everyResult("lighthouse");
    expect(results.ids).toEqual(await expectedRanking("status = 'PUBLISHED'", "published_at DESC, id DESC"));
    expect(results.ids).toHaveLength(SEARCH_CANDIDATES);
    expect(results).toMatchObject({ totalCount: SEARCH_CANDIDATES, totalCountIsExact: false });
  });

  it("ranks the desk's most recently created matches, drafts included", async () => {
    const results = await everyResult("lighthouse", editor);
    expect(results.ids).toEqual(await expectedRanking("TRUE", "created_at DESC, id DESC"));
    const drafts = await api.prisma.story.findMany({ where: { status: "DRAFT" }, select: { id: true } });
    expect(results.ids).toEqual(expect.arrayContaining(drafts.map((draft) => draft.id)));
    expect(results).toMatchObject({ totalCount: SEARCH_CANDIDATES, totalCountIsExact: false });
  });

  it("returns and counts every match of a search with fewer matches than that", async () => {
    const results = await everyResult("kelp forests");
    expect(results).toMatchObject({ totalCount: 3, totalCountIsExact: true });
    expect(results.ids).toHaveLength(3);
  });
});

/**
 * A database on a PostgreSQL server whichever backend the run tests: the time limit is
 * PostgreSQL's statement_timeout, which PGlite does not have. On PGlite runs, a cluster of the
 * test's own.
 */
async function postgresDatabase(): Promise<TestDatabase> {
  if (testDatabaseAdminUrl()) return createTestDatabase();
  const cluster = await createPostgresCluster();
  try {
    await applyPendingMigrations(cluster.target);
  } catch (error) {
    await cluster.drop();
    throw error;
  }
  return { target: cluster.target, drop: () => cluster.drop() };
}

describe("a search that runs past its time limit", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  const { sink, errorLines } = collectLogLines();

  beforeAll(async () => {
    database = await postgresDatabase();
    api = await startTestApiOn(database, {}, sink);
    await api.seedApStory();
  });
  afterAll(async () => {
    try {
      await api?.stop();
    } finally {
      await database?.drop();
    }
  });

  it("is stopped and refused as too broad, naming the query, and the next search is answered", async () => {
    if (database.target.kind !== "postgres") throw new Error("this test needs a PostgreSQL server");
    // Another session holds the stories, as a migration would, so that the search waits past its
    // limit whatever the speed of the machine.
    const holder = new pg.Client({ connectionString: database.target.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE stories IN ACCESS EXCLUSIVE MODE");
      const refused = failure(await api.graphql(SearchPageDocument, { query: "Iraq" }));
      expect(refused).toMatchObject({ code: "BAD_USER_INPUT", field: "query", extensions: { reason: "SEARCH_TOO_BROAD" } });
      await holder.query("ROLLBACK");
    } finally {
      await holder.end();
    }
    expect(ok(await api.graphql(SearchPageDocument, { query: "Iraq" })).searchStories.totalCount).toBe(1);
    expect(errorLines()).toEqual([]);
  });
});
