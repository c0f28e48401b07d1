import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SearchStorySlugsDocument,
  StoryLookupDocument,
  StoryPageDocument,
  StoryReadinessDocument,
  type StoryPageQuery,
} from "../generated/graphql.js";
import { AP_STORY_FILE, ok, startTestApi, type TestApi } from "../support/api.js";

// Read the filed text directly, without the app's parser, so the test cannot agree with a bug.
const filed = readFileSync(AP_STORY_FILE, "utf8");
const blocks = filed.split(/\n\s*\n/);
const [headline, caption, lede, ...rest] = blocks as [string, string, string, ...string[]];
const LEDE_PREFIX = "BAGHDAD (AP) — ";
const paragraphs = [lede.slice(LEDE_PREFIX.length), ...rest];

describe("the seeded AP story, read over HTTP", () => {
  let api: TestApi;
  let story: NonNullable<StoryPageQuery["story"]>;

  beforeAll(async () => {
    api = await startTestApi();
    const seeded = await api.seedApStory();
    expect(seeded.created).toBe(true);
    const read = ok(await api.graphql(StoryPageDocument, { slug: seeded.slug })).story;
    if (!read) throw new Error(`the seeded story ${seeded.slug} is not public`);
    story = read;
  });
  afterAll(() => api?.close());

  it("is the file's headline, dateline and agency, published", () => {
    expect(lede.startsWith(LEDE_PREFIX)).toBe(true);
    expect(story).toMatchObject({ headline, dateline: "BAGHDAD", credit: "AP", status: "PUBLISHED", summary: null, version: 1 });
    expect(story.slug).toBe("iraq-considers-deepening-military-ties-with-russia");
    expect(story.publishedAt).not.toBeNull();
    expect(Date.parse(story.publishedAt!)).toBeLessThanOrEqual(Date.now());
  });

  it("has the 12 body paragraphs verbatim, typography and all", () => {
    expect(paragraphs).toHaveLength(12);
    expect(story.paragraphs.map((p) => p.text)).toEqual(paragraphs);
    expect(story.paragraphs.map((p) => p.position)).toEqual([...Array(12).keys()]);
    expect(story.paragraphs[2]!.text).toContain("Jan. 3 U .S. drone strike");
    expect(story.paragraphs[3]!.text).toContain(`“our armed forces with advanced`);
    expect(story.paragraphs[3]!.text).toContain(`many battles," according`);
  });

  it("prints the body as filed, dateline before the lede", () => {
    expect(story.bodyText).toBe([lede, ...rest].join("\n\n").replace(/\s+$/, ""));
  });

  it("carries the photo caption verbatim, parsed into newsroom fields", () => {
    expect(story.photos).toHaveLength(1);
    const [placement] = story.photos;
    expect(placement).toMatchObject({ position: 0, role: "LEAD", caption, credit: "AP Photo" });
    expect(placement!.photo).toMatchObject({
      caption,
      isFilePhoto: true,
      takenAt: "2018-02-13T00:00:00.000Z",
      location: "Balad Air Base, Iraq",
      credit: "AP Photo",
    });
    expect(placement!.photo.altText).toMatch(/Balad Air Base/);
  });

  it("names every source the story relies on, the anonymous ones by their description", () => {
    const names = story.sources.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Iraq's Defense Ministry",
        "Othman Al-Ghanimi",
        "Maksim Maksimov",
        "Frank McKenzie",
        "Iraq's Parliament",
        "Adel Abdul-Mahdi",
        "Powerful Shiite parties in Iraq",
      ]),
    );
    const anonymous = story.sources.filter((s) => s.isAnonymous);
    expect(anonymous.map((s) => s.anonymousDescription).sort()).toEqual([
      "A senior Iraqi military intelligence official",
      "Senior Iraqi military officials",
    ]);
    // The public sees the description used in copy, never the internal label or the reason.
    for (const source of anonymous) {
      expect(source.name).toBe(source.anonymousDescription);
      expect(source.kind).toBe("ANONYMOUS");
      expect(source.anonymityReason).toBeNull();
      expect(source.identityKnownBy).toBeNull();
      expect(source.title).toBeNull();
      expect(source.affiliation).toBeNull();
      expect(source.terms).toBe("NOT_FOR_ATTRIBUTION");
    }
    expect(story.sources).toHaveLength(9);
  });

  it("attributes every direct quote of the story to its source, verbatim in its paragraph", () => {
    const quotes = story.attributions.filter((a) => a.kind === "DIRECT_QUOTE");
    const bySpeaker = Object.fromEntries(quotes.map((a) => [String(a.quote), a.source.name]));
    expect(bySpeaker).toEqual({
      "our armed forces with advanced and effective equipment and weapons that had a major role in resolving many battles,":
        "Othman Al-Ghanimi",
      "cooperation and coordination.": "Iraq's Defense Ministry",
      "within the framework of strengthening cooperation between the two sides,": "Iraq's Defense Ministry",
      "Iraq still needs aerial reconnaissance planes. There are countries that have given signals to Iraq to support us or equip us with reconnaissance planes such as Russia and Iran,":
        "A senior Iraqi military intelligence official",
      "in a period of turbulence.": "Frank McKenzie",
    });
    for (const attribution of story.attributions) {
      expect(attribution.confirmed).toBe(true);
      expect(attribution.quote).not.toBeNull();
      expect(attribution.paragraph.text.replace(/[“”]/g, '"')).toContain(attribution.quote!.replace(/[“”]/g, '"'));
    }
    const official = quotes.find((a) => a.source.name.startsWith("A senior"));
    expect(official).toMatchObject({ method: "TOLD_AGENCY", paragraph: { position: 8 } });
  });

  it("seeds its anonymous sources approved, by the agency rather than a user, so the story is publishable as it stands", async () => {
    const editor = (await api.tokenFor("EDITOR")).token;
    const desk = ok(await api.graphql(StoryReadinessDocument, { id: story.id }, editor)).story!;
    const anonymous = desk.sources.filter((source) => source.kind === "ANONYMOUS");
    expect(anonymous).toHaveLength(2);
    for (const source of anonymous) {
      expect(Date.parse(source.anonymityApprovedAt!)).toBe(Date.parse(story.publishedAt!));
      expect(source.anonymityApprovedBy).toBeNull();
      expect(source.anonymityReason).toMatch(/^Granted by AP/);
    }
    expect(desk).toMatchObject({ status: "PUBLISHED", publishBlockers: [] });
  });

  it("finds the story by id, and by full-text search on its words", async () => {
    const byId = ok(await api.graphql(StoryLookupDocument, { id: story.id }));
    expect(byId.story?.slug).toBe(story.slug);
    const search = ok(await api.graphql(SearchStorySlugsDocument, { query: "reconnaissance planes Russia" }));
    expect(search.searchStories.totalCount).toBe(1);
    expect(search.searchStories.edges[0]?.node.slug).toBe(story.slug);
    const none = ok(await api.graphql(SearchStorySlugsDocument, { query: "hurricane" }));
    expect(none.searchStories).toEqual({ totalCount: 0, edges: [] });
  });

  it("is unchanged by seeding again", async () => {
    const tables = async () => ({
      stories: await api.prisma.story.findMany({ orderBy: { id: "asc" } }),
      paragraphs: await api.prisma.paragraph.findMany({ orderBy: { id: "asc" } }),
      photos: await api.prisma.photo.findMany({ orderBy: { id: "asc" } }),
      placements: await api.prisma.storyPhoto.findMany({ orderBy: { id: "asc" } }),
      sources: await api.prisma.source.findMany({ orderBy: { id: "asc" } }),
      attributions: await api.prisma.attribution.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await tables();
    const again = await api.seedApStory();
    expect(again.created).toBe(false);
    expect(await tables()).toEqual(before);
  });
});
