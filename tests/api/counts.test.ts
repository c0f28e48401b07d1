import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNT_CAP } from "../../src/db/pagination.js";
import {
  ArchiveStoryDocument,
  CreateStoryDocument,
  DeleteStoryDocument,
  PublishStoryDocument,
  SourceCountDocument,
  StoryCountDocument,
  type StoryCountQueryVariables,
  type StoryStatus,
  SubmitStoryForReviewDocument,
  UnpublishStoryDocument,
} from "../generated/graphql.js";
import { ok, startTestApi, type TestApi } from "../support/api.js";

describe("how long a list is (totalCount)", () => {
  let api: TestApi;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    editor = (await api.tokenFor("EDITOR")).token;
    await api.seedApStory();
  });
  afterAll(() => api?.close());

  const countOf = async (filter: StoryCountQueryVariables["filter"], token?: string) =>
    ok(await api.graphql(StoryCountDocument, { filter }, token)).stories;

  /** The counts the database keeps, and what counting the stories gives, per status. */
  async function keptAndCounted() {
    const kept = await api.prisma.storyCount.findMany({ where: { count: { gt: 0 } }, orderBy: { status: "asc" } });
    const counted = await api.prisma.story.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } });
    return {
      kept: kept.map((row) => [row.status, row.count]),
      counted: counted.map((row) => [row.status, row._count._all]),
    };
  }

  async function expectCountsKept() {
    const { kept, counted } = await keptAndCounted();
    expect(kept).toEqual(counted);
    const total = counted.reduce((sum, [, count]) => sum + Number(count), 0);
    expect(await countOf(null, editor)).toEqual({ totalCount: total, totalCountIsExact: true });
    for (const [status, count] of counted) {
      expect(await countOf({ status: status as StoryStatus }, editor)).toEqual({ totalCount: count, totalCountIsExact: true });
    }
    const published = counted.find(([status]) => status === "PUBLISHED")?.[1] ?? 0;
    expect(await countOf(null)).toEqual({ totalCount: published, totalCountIsExact: true });
  }

  it("keeps the counts per status exact through concurrent creates, workflow steps and deletes", async () => {
    const create = async (i: number) =>
      ok(await api.graphql(CreateStoryDocument, { input: { headline: `Concurrent story ${i}`, paragraphs: ["A paragraph."] } }, editor))
        .createStory.story!;
    const stories = await Promise.all(Array.from({ length: 24 }, (_, i) => create(i)));
    await expectCountsKept();

    // At once: 8 published, 8 submitted for review, 8 deleted, while 8 more are written.
    const [toPublish, toSubmit, toDelete] = [stories.slice(0, 8), stories.slice(8, 16), stories.slice(16)];
    const published = await Promise.all([
      ...toPublish.map(
        async (story) => ok(await api.graphql(PublishStoryDocument, { id: story.id, v: story.version }, editor)).step.story!,
      ),
      ...toSubmit.map(async (story) => ok(await api.graphql(SubmitStoryForReviewDocument, { id: story.id, v: story.version }, editor))),
      ...toDelete.map(async (story) => ok(await api.graphql(DeleteStoryDocument, { id: story.id, v: story.version }, editor))),
      ...Array.from({ length: 8 }, (_, i) => create(100 + i)),
    ]).then((results) => results.slice(0, 8) as { id: string; version: number }[]);
    await expectCountsKept();

    // At once: 4 published stories unpublished, 4 archived.
    await Promise.all(
      published.map(async (story, i) =>
        ok(await api.graphql(i < 4 ? UnpublishStoryDocument : ArchiveStoryDocument, { id: story.id, v: story.version }, editor)),
      ),
    );
    await expectCountsKept();
  });

  it("reads a list limited by status alone from the kept counts, without counting stories", async () => {
    for (const [filter, token] of [
      [null, undefined],
      [null, editor],
      [{ status: "DRAFT" }, editor],
      [{ status: "DRAFT" }, undefined],
    ] as const) {
      api.statements.length = 0;
      await countOf(filter, token);
      const counting = api.statements.filter((sql) => /count|sum/i.test(sql));
      expect(counting, JSON.stringify(filter)).toHaveLength(1);
      expect(counting[0]).toContain("story_counts");
    }
    // The public never sees drafts, whatever it asks.
    expect(await countOf({ status: "DRAFT" })).toEqual({ totalCount: 0, totalCountIsExact: true });
  });

  it(`counts a list filtered by anything else up to ${COUNT_CAP}, and past that says so`, async () => {
    await api.prisma.$executeRaw`
      INSERT INTO stories (id, slug, headline, dateline, status, published_at, updated_at)
      SELECT gen_random_uuid(), 'harbor-' || n, 'Harbor story ' || n, 'PORT TOWN', 'PUBLISHED',
             timestamptz '2024-01-01' + n * interval '1 minute', now()
      FROM generate_series(1, ${COUNT_CAP + 5}) n`;
    expect(await countOf({ dateline: "port town" })).toEqual({ totalCount: COUNT_CAP, totalCountIsExact: false });
    const lastTen = { dateline: "PORT TOWN", publishedAfter: new Date(Date.UTC(2024, 0, 1, 0, COUNT_CAP - 4)).toISOString() };
    expect(await countOf(lastTen, editor)).toEqual({ totalCount: 10, totalCountIsExact: true });
    expect(await countOf({ text: "harbor story 100" })).toEqual({ totalCount: 7, totalCountIsExact: true });
    await expectCountsKept();

    await api.prisma.$executeRaw`
      INSERT INTO sources (id, kind, name, updated_at) SELECT gen_random_uuid(), 'PERSON', 'Harbor master ' || n, now()
      FROM generate_series(1, ${COUNT_CAP + 1}) n`;
    const sources = async (name: string) => ok(await api.graphql(SourceCountDocument, { filter: { name } }, editor)).sources;
    expect(await sources("harbor master")).toEqual({ totalCount: COUNT_CAP, totalCountIsExact: false });
    expect(await sources("harbor master 100")).toEqual({ totalCount: 3, totalCountIsExact: true });
  });

  // Last: it empties the stories.
  it("keeps the counts through statements that write many stories at once, and through TRUNCATE", async () => {
    await api.prisma.$executeRaw`
      INSERT INTO stories (id, slug, headline, status, updated_at)
      SELECT gen_random_uuid(), 'bulk-' || n, 'Bulk story ' || n, (ARRAY['DRAFT', 'IN_REVIEW', 'ARCHIVED'])[1 + n % 3]::"StoryStatus", now()
      FROM generate_series(1, 60) n`;
    await expectCountsKept();
    await api.prisma
      .$executeRaw`UPDATE stories SET status = 'PUBLISHED', published_at = now() WHERE slug LIKE 'bulk-%' AND status <> 'ARCHIVED'`;
    await api.prisma.$executeRaw`UPDATE stories SET headline = headline || ' (updated)' WHERE slug LIKE 'bulk-%'`;
    await expectCountsKept();
    await api.prisma.$executeRaw`DELETE FROM stories WHERE slug LIKE 'bulk-%' AND status = 'PUBLISHED'`;
    await expectCountsKept();
    await api.prisma.$executeRaw`TRUNCATE stories CASCADE`;
    expect(await keptAndCounted()).toEqual({ kept: [], counted: [] });
    expect(await countOf(null, editor)).toEqual({ totalCount: 0, totalCountIsExact: true });
  });
});
