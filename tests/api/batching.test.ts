import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWireStory } from "../../src/wire/wire.parser.js";
import { writeWireStory } from "../../src/wire/wire.service.js";
import { StoriesWithRelationsDocument, StoryHeadlinesDocument, type StoryHeadlinesQuery } from "../generated/graphql.js";
import { AP_STORY_FILE, ok, startTestApi, type TestApi } from "../support/api.js";

describe("reading pages of stories with their relations", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    const text = readFileSync(AP_STORY_FILE, "utf8");
    const wire = parseWireStory(text);
    await api.prisma.$transaction(
      async (tx) => {
        for (let i = 0; i < 55; i += 1)
          await writeWireStory(tx, { ...wire, headline: `${wire.headline} (${i})` }, { text, authorId: null, again: true, field: "text" });
      },
      { timeout: 120_000 },
    );
    await api.prisma.attribution.updateMany({ data: { confirmed: true } });
    await api.prisma.story.updateMany({ data: { status: "PUBLISHED", publishedAt: new Date() } });
  });
  afterAll(() => api?.close());

  async function statementsFor(first: number) {
    api.statements.length = 0;
    const page = ok(await api.graphql(StoriesWithRelationsDocument, { first }));
    expect(page.stories.edges).toHaveLength(first);
    return api.statements.length;
  }

  it("takes as many SQL statements for 50 stories as for 5", async () => {
    const forFive = await statementsFor(5);
    const forFifty = await statementsFor(50);
    expect(forFifty).toBe(forFive);
    // The page, then per relation one batched statement, and for Prisma's fluent reads one more
    // that batches the parents: paragraphs, placements, photos, attributions, their paragraphs and sources.
    expect(forFive).toBeLessThanOrEqual(12);
  });

  it("returns every relation of every story on the page", async () => {
    const page = ok(await api.graphql(StoriesWithRelationsDocument, { first: 50 }));
    for (const { node } of page.stories.edges) {
      expect(node.paragraphs).toHaveLength(12);
      expect(node.photos[0]?.photo.location).toBe("Balad Air Base, Iraq");
      expect(node.attributions.length).toBeGreaterThan(0);
      expect(node.sources.length).toBeGreaterThan(0);
    }
  });

  it("pages through everything once with cursors", async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: StoryHeadlinesQuery = ok(await api.graphql(StoryHeadlinesDocument, { first: 20, after }));
      for (const edge of data.stories.edges) seen.add(edge.node.id);
      pages += 1;
      expect(data.stories.totalCount).toBe(55);
      if (!data.stories.pageInfo.hasNextPage) break;
      after = data.stories.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(55);
  });
});
