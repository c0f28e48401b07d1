import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SourcesDocument,
  StoryHeadlinesDocument,
  type SourcesQueryVariables,
  type StoryHeadlinesQuery,
  type StoryHeadlinesQueryVariables,
} from "../generated/graphql.js";
import { ok, startTestApi, type RecordedQuery, type TestApi } from "../support/api.js";

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * A page deep in any list must start at its cursor in an index, not read every row before it
 * and filter them out: the cursor's key must be an Index Cond of the scan, and the index must
 * give the order (no Sort). The tables here are small, so for the EXPLAIN sequential and bitmap
 * scans are off, as if they were large and the page a few rows of them: what is checked is that
 * an index holds the rows in the list's order and that the cursor bounds its scan.
 */
describe("a page after a cursor, in every list order", () => {
  let api: TestApi;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    editor = (await api.tokenFor("EDITOR")).token;
    // 300 stories: a third published (three to a publication time, so ties need the id), the rest
    // drafts and stories in review without a publication time; each with a paragraph that
    // attributes a claim to one of 100 sources, confirmed, so the public sees those sources.
    await api.prisma.$executeRaw`
      INSERT INTO stories (id, slug, headline, status, published_at, created_at, updated_at)
      SELECT gen_random_uuid(), 'story-' || n, 'Story ' || n,
             (ARRAY['PUBLISHED', 'DRAFT', 'IN_REVIEW'])[1 + n % 3]::"StoryStatus",
             CASE WHEN n % 3 = 0 THEN timestamptz '2024-01-01' + (n / 9) * interval '1 hour' END,
             timestamptz '2023-01-01' + n * interval '1 hour', timestamptz '2023-06-01' + (n % 97) * interval '1 hour'
      FROM generate_series(1, 300) n`;
    await api.prisma.$executeRaw`
      INSERT INTO sources (id, kind, name, created_at, updated_at)
      SELECT gen_random_uuid(), 'PERSON', 'Source ' || (n % 40), timestamptz '2022-01-01' + (n % 30) * interval '1 day', now()
      FROM generate_series(1, 100) n`;
    await api.prisma.$executeRaw`
      INSERT INTO paragraphs (id, story_id, position, text, updated_at)
      SELECT gen_random_uuid(), id, 0, 'The council met on Tuesday.', now() FROM stories`;
    await api.prisma.$executeRaw`
      INSERT INTO attributions (id, story_id, source_id, paragraph_id, kind, quote, confirmed, updated_at)
      SELECT gen_random_uuid(), p.story_id, s.id, p.id, 'PARAPHRASE', 'The council met.', true, now()
      FROM (SELECT id, story_id, row_number() OVER (ORDER BY id) AS n FROM paragraphs) p
      JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM sources) s ON s.n = 1 + p.n % 100`;
    await api.prisma.$executeRaw`ANALYZE`;
  });
  afterAll(() => api?.close());

  /** Runs a read, and returns the statements it sent that read the given table after a cursor. */
  async function pageStatements(table: string, read: () => Promise<unknown>): Promise<RecordedQuery[]> {
    api.queries.length = 0;
    await read();
    // Prisma names the table with an alias when it joins relations in (relationJoins), and without one otherwise.
    const readsTable = new RegExp(`FROM "public"\\."${table}"(?: AS "t\\d+")? WHERE`);
    return api.queries.filter((query) => readsTable.test(query.sql) && query.sql.includes("ORDER BY"));
  }

  async function planOf(query: RecordedQuery): Promise<PlanNode> {
    return api.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
      const [row] = await tx.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
        `EXPLAIN (FORMAT JSON) ${query.sql}`,
        ...query.params,
      );
      return row!["QUERY PLAN"][0].Plan;
    });
  }

  /** Asserts that the statement's plan scans an index bounded by `bound` (e.g. /published_at <= /) and sorts nothing. */
  async function expectIndexBound(query: RecordedQuery, bound: RegExp) {
    const nodes = nodesOf(await planOf(query));
    const described = JSON.stringify(nodes.map((node) => [node["Node Type"], node["Index Name"], node["Index Cond"], node.Filter]));
    expect(
      nodes.some((node) => bound.test(node["Index Cond"] ?? "")),
      described,
    ).toBe(true);
    expect(
      nodes.filter((node) => node["Node Type"] === "Sort"),
      described,
    ).toEqual([]);
  }

  /** The statements that read a page of 10 after the first `skip` stories of a list, which it pages through first. */
  async function storiesAfter(skip: number, variables: StoryHeadlinesQueryVariables, token?: string) {
    let after: string | null | undefined;
    for (let seen = 0; seen < skip; seen += 100) {
      const page = ok(await api.graphql(StoryHeadlinesDocument, { ...variables, first: Math.min(100, skip - seen), after }, token)).stories;
      expect(page.pageInfo.hasNextPage).toBe(true);
      after = page.pageInfo.endCursor;
    }
    return pageStatements("stories", async () => ok(await api.graphql(StoryHeadlinesDocument, { ...variables, first: 10, after }, token)));
  }

  it("pages through every story order once, in the order one SQL statement gives", async () => {
    const lists: [StoryHeadlinesQueryVariables, string | undefined, string][] = [
      [{}, undefined, `WHERE status = 'PUBLISHED' ORDER BY published_at DESC NULLS LAST, stories.id DESC`],
      [{}, editor, "ORDER BY published_at DESC NULLS LAST, stories.id DESC"],
      [{ filter: { status: "DRAFT" } }, editor, `WHERE status = 'DRAFT' ORDER BY published_at DESC NULLS LAST, stories.id DESC`],
      [{ orderBy: "UPDATED_AT_DESC" }, editor, "ORDER BY updated_at DESC, stories.id DESC"],
      [{ orderBy: "CREATED_AT_DESC" }, editor, "ORDER BY created_at DESC, stories.id DESC"],
    ];
    for (const [variables, token, order] of lists) {
      // Qualified, so that ORDER BY id is the uuid and not the text this selects.
      const expected = await api.prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT stories.id::text AS id FROM stories ${order}`);
      const paged: string[] = [];
      let after: string | null | undefined;
      do {
        const page: StoryHeadlinesQuery["stories"] = ok(
          await api.graphql(StoryHeadlinesDocument, { ...variables, first: 7, after }, token),
        ).stories;
        paged.push(...page.edges.map((edge) => edge.node.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(paged, order).toEqual(expected.map((row) => row.id));
    }
  });

  it("front page: by publication, from the cursor's time down", async () => {
    const [page] = await storiesAfter(60, {});
    await expectIndexBound(page!, /published_at <= /);
  });

  it("desk, by publication: the dated stories from the cursor down, then the undated ones by id", async () => {
    // 100 published stories, so a page of 10 after the 95th reads 5 dated ones, then undated ones.
    const crossing = await storiesAfter(95, {}, editor);
    expect(crossing).toHaveLength(2);
    await expectIndexBound(crossing[0]!, /published_at <= /);
    await expectIndexBound(crossing[1]!, /published_at IS NULL/);
    const [undated] = await storiesAfter(150, {}, editor);
    await expectIndexBound(undated!, /published_at IS NULL.*id < /);
  });

  it("desk, one status by publication: the cursor bounds the scan with the status beside it", async () => {
    const [published] = await storiesAfter(60, { filter: { status: "PUBLISHED" } }, editor);
    await expectIndexBound(published!, /published_at <= /);
    const [drafts] = await storiesAfter(60, { filter: { status: "DRAFT" } }, editor);
    await expectIndexBound(drafts!, /published_at IS NULL.*id < /);
  });

  it("desk, by last update and by creation", async () => {
    const [updated] = await storiesAfter(60, { orderBy: "UPDATED_AT_DESC" }, editor);
    await expectIndexBound(updated!, /updated_at <= /);
    const [created] = await storiesAfter(60, { orderBy: "CREATED_AT_DESC" }, editor);
    await expectIndexBound(created!, /created_at <= /);
  });

  it("sources: by name for the desk, by first appearance for the public", async () => {
    const sourcesAfter = async (variables: SourcesQueryVariables, token?: string) => {
      const firstPage = ok(await api.graphql(SourcesDocument, { first: 50 }, token)).sources;
      expect(firstPage.pageInfo.hasNextPage).toBe(true);
      return pageStatements("sources", async () =>
        ok(await api.graphql(SourcesDocument, { ...variables, first: 10, after: firstPage.pageInfo.endCursor }, token)),
      );
    };
    const [byName] = await sourcesAfter({}, editor);
    await expectIndexBound(byName!, /\(name\)::text >= /);
    const [byFirstSeen] = await sourcesAfter({});
    await expectIndexBound(byFirstSeen!, /created_at >= /);
  });
});
