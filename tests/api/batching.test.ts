import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWireStory } from "../../src/wire/wire.parser.js";
import { writeWireStory } from "../../src/wire/wire.service.js";
import {
  FrontPageDocument,
  ReaderStoryPageDocument,
  StoryAnchorsDocument,
  StoryWithAliasesDocument,
  StoriesWithRelationsDocument,
  StoryHeadlinesDocument,
  type StoryHeadlinesQuery,
} from "../generated/graphql.js";
import { AP_STORY_FILE, ok, startTestApi, type TestApi } from "../support/api.js";

describe("reading pages of stories with their relations", () => {
  let api: TestApi;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    editor = (await api.tokenFor("EDITOR")).token;
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

  async function statementsFor(first: number, token?: string) {
    api.statements.length = 0;
    const page = ok(await api.graphql(StoriesWithRelationsDocument, { first }, token));
    expect(page.stories.edges).toHaveLength(first);
    return api.statements.length;
  }

  it("takes as many SQL statements for 50 stories with every nested field as for 5", async () => {
    for (const token of [undefined, editor]) {
      const forFive = await statementsFor(5, token);
      expect(await statementsFor(50, token)).toBe(forFive);
    }
  });

  it("returns every relation of every story on the page", async () => {
    const page = ok(await api.graphql(StoriesWithRelationsDocument, { first: 50 }, editor));
    for (const { node } of page.stories.edges) {
      expect(node.paragraphs).toHaveLength(12);
      expect(node.bodyText).toMatch(/^BAGHDAD \(AP\) — /);
      expect(node.photos[0]?.photo.location).toBe("Balad Air Base, Iraq");
      expect(node.photos[0]?.photo.stories).toHaveLength(1);
      expect(node.leadPhoto).not.toBeNull();
      expect(node.attributions.length).toBeGreaterThan(0);
      expect(node.attributions.every((a) => a.story !== null && a.source.name !== "")).toBe(true);
      expect(node.sources.length).toBeGreaterThan(0);
      expect(node.sources.every((s) => s.attributions.length === 1 && s.identityKnownBy !== null)).toBe(true);
      expect(node.history?.[0]?.action).toBe("IMPORTED");
      // The filed caption names no photographer, so the imported photo has no credit to print.
      expect(node.publishBlockers).toEqual([{ kind: "PHOTO_CREDIT_MISSING", sourceId: null }]);
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

/**
 * Writes published stories straight into the tables, `size` of each part apiece: paragraphs,
 * photos (the first one leads, the others stand beside a paragraph), sources, and a confirmed
 * attribution to each source. A handful of statements whatever the sizes.
 */
async function writePublishedStories(api: TestApi, stories: { slug: string; size: number }[]) {
  const now = Date.now();
  const built = stories.map(({ slug, size }, index) => {
    const storyId = randomUUID();
    const parts = [...Array(size).keys()].map((position) => ({
      position,
      paragraphId: randomUUID(),
      photoId: randomUUID(),
      sourceId: randomUUID(),
    }));
    return {
      story: {
        id: storyId,
        slug,
        headline: `Story ${slug}`,
        summary: `What ${slug} is about`,
        dateline: "SPRINGFIELD",
        credit: "AP",
        status: "PUBLISHED" as const,
        publishedAt: new Date(now - index * 60_000),
      },
      parts: parts.map((part) => ({ ...part, storyId })),
    };
  });
  const parts = built.flatMap((b) => b.parts);
  await api.prisma.story.createMany({ data: built.map((b) => b.story) });
  await api.prisma.paragraph.createMany({
    data: parts.map((p) => ({ id: p.paragraphId, storyId: p.storyId, position: p.position, text: `Paragraph ${p.position} says it.` })),
  });
  await api.prisma.photo.createMany({
    data: parts.map((p) => ({ id: p.photoId, url: `https://photos.example/${p.photoId}.jpg`, caption: "A caption", credit: "AP Photo" })),
  });
  await api.prisma.storyPhoto.createMany({
    data: parts.map((p) => ({
      storyId: p.storyId,
      photoId: p.photoId,
      position: p.position,
      role: p.position === 0 ? ("LEAD" as const) : ("INLINE" as const),
      paragraphId: p.position === 0 ? null : p.paragraphId,
    })),
  });
  await api.prisma.source.createMany({
    data: parts.map((p) => ({ id: p.sourceId, kind: "PERSON" as const, name: `Source ${p.sourceId}` })),
  });
  await api.prisma.attribution.createMany({
    data: parts.map((p) => ({
      storyId: p.storyId,
      sourceId: p.sourceId,
      paragraphId: p.paragraphId,
      kind: "STATEMENT" as const,
      quote: "says it",
      confirmed: true,
    })),
  });
}

describe("the front page and the story page", () => {
  const PAGE_SIZES = [1, 20, 100];
  /** The most SQL statements either page may take, a staff member's token lookup included. */
  const MAX_STATEMENTS = 3;
  let api: TestApi;
  const viewers: { who: string; token?: string }[] = [{ who: "the public" }];

  beforeAll(async () => {
    api = await startTestApi();
    viewers.push({ who: "a reporter", token: (await api.tokenFor("REPORTER")).token });
    viewers.push({ who: "an editor", token: (await api.tokenFor("EDITOR")).token });
    await writePublishedStories(api, [
      ...PAGE_SIZES.map((size) => ({ slug: `story-of-${size}`, size })),
      ...[...Array(100).keys()].map((i) => ({ slug: `front-page-${i}`, size: 1 })),
    ]);
  });
  afterAll(() => api?.close());

  for (const first of PAGE_SIZES) {
    it(`reads a front page of ${first} in at most ${MAX_STATEMENTS} statements`, async () => {
      for (const { who, token } of viewers) {
        api.statements.length = 0;
        const page = ok(await api.graphql(FrontPageDocument, { first }, token)).stories;
        expect(page.edges, who).toHaveLength(first);
        expect(page.totalCount, who).toBe(103);
        expect(
          page.edges.every((edge) => edge.node.leadPhoto?.photo.url?.startsWith("https://photos.example/")),
          who,
        ).toBe(true);
        expect(api.statements.length, who).toBeLessThanOrEqual(MAX_STATEMENTS);
      }
    });

    it(`reads the page of a story with ${first} paragraphs, photos and sources in at most ${MAX_STATEMENTS} statements`, async () => {
      for (const { who, token } of viewers) {
        api.statements.length = 0;
        const story = ok(await api.graphql(ReaderStoryPageDocument, { slug: `story-of-${first}` }, token)).story;
        expect(story?.paragraphs, who).toHaveLength(first);
        expect(story?.photos, who).toHaveLength(first);
        expect(
          story?.photos.filter((photo) => photo.paragraph !== null),
          who,
        ).toHaveLength(first - 1);
        expect(
          story?.attributions.map((a) => a.paragraph.id),
          who,
        ).toEqual(story?.paragraphs.map((p) => p.id));
        expect(
          story?.sources.map((s) => s.id),
          who,
        ).toEqual(story?.attributions.map((a) => a.source.id));
        expect(api.statements.length, who).toBeLessThanOrEqual(MAX_STATEMENTS);
      }
    });
  }

  it("reads what a query selects under aliases, fragments and @include with the story", async () => {
    for (const withBody of [true, false]) {
      api.statements.length = 0;
      const story = ok(await api.graphql(StoryWithAliasesDocument, { slug: "story-of-20", withBody })).story;
      expect(api.statements).toHaveLength(1);
      expect(story?.body?.length ?? null).toBe(withBody ? 20 : null);
      expect(story?.lead?.photo.url).toMatch(/^https:\/\/photos\.example\//);
      expect(story?.quotes).toHaveLength(20);
      expect(story?.quotes.every((quote) => quote.said === "says it" && quote.by.name.startsWith("Source "))).toBe(true);
      expect(story?.speakers.map((speaker) => speaker.name)).toEqual(story?.quotes.map((quote) => quote.by.name));
    }
  });

  it("reads where quotes and photos stand with the story, also without its paragraphs", async () => {
    api.statements.length = 0;
    const story = ok(await api.graphql(StoryAnchorsDocument, { slug: "story-of-20" })).story;
    expect(api.statements).toHaveLength(1);
    const positions = [...Array(20).keys()];
    expect(story?.attributions.map((a) => a.paragraph.position)).toEqual(positions);
    expect(story?.photos.map((p) => p.paragraph?.position ?? null)).toEqual([null, ...positions.slice(1)]);
  });
});
