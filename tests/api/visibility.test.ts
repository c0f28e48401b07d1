import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStoryDocument,
  PhotoStoriesDocument,
  SearchStorySlugsDocument,
  SourceApprovalDocument,
  SourceRelationsDocument,
  SourcesDocument,
  StoryHeadlinesDocument,
  StoryReadinessDocument,
  StoryRelationsDocument,
} from "../generated/graphql.js";
import { ok, startTestApi, type TestApi } from "../support/api.js";

type Viewer = "public" | "reporter" | "editor";
const VIEWERS: Viewer[] = ["public", "reporter", "editor"];

/**
 * What each viewer sees of every relation. A reporter wrote two stories: "dam-holds", published,
 * and "dam-may-fail", a draft. Photo X leads the published story, photo Z the draft, and photo Y
 * stands in both. Dana Engineer is quoted in both stories, Guess only unconfirmed (the importer's
 * proposal) in the published one, Draft Source only in the draft, and an anonymous official,
 * whom the editor knows, in the published one. Staff see everything; the public what is confirmed
 * in the published story.
 */
describe("what the public, a reporter and an editor see of every relation", () => {
  let api: TestApi;
  const tokens: Partial<Record<Viewer, string>> = {};
  const photos = { lead: "", shared: "", draftOnly: "" };
  const sources = { dana: "", guess: "", draftOnly: "", anonymous: "" };

  beforeAll(async () => {
    api = await startTestApi();
    const reporter = await api.tokenFor("REPORTER", "Rita Reporter");
    const editor = await api.tokenFor("EDITOR", "Eddie Editor");
    tokens.reporter = reporter.token;
    tokens.editor = editor.token;
    const write = async (slug: string, paragraphs: string[]) =>
      ok(await api.graphql(CreateStoryDocument, { input: { headline: slug, slug, paragraphs } }, reporter.token)).createStory.story!;
    const published = await write("dam-holds", ["The dam held overnight.", "Engineers said it would hold."]);
    const draft = await write("dam-may-fail", ["Engineers fear the dam may fail."]);
    const [p0, p1] = published.paragraphs.map((p) => p.id);
    const [d0] = draft.paragraphs.map((p) => p.id);

    const photo = (caption: string) => api.prisma.photo.create({ data: { caption, credit: "AP Photo" } }).then((p) => p.id);
    photos.lead = await photo("The dam at dawn");
    photos.shared = await photo("Engineers on the dam");
    photos.draftOnly = await photo("Cracks in the wall");
    let placed = 0;
    const place = (storyId: string, photoId: string, position: number, paragraphId: string | null = null) =>
      api.prisma.storyPhoto.create({
        data: { storyId, photoId, position, role: position === 0 ? "LEAD" : "INLINE", paragraphId, createdAt: new Date(++placed * 1000) },
      });
    await place(published.id, photos.lead, 0);
    await place(published.id, photos.shared, 1, p1);
    await place(draft.id, photos.draftOnly, 0);
    await place(draft.id, photos.shared, 1);

    const source = (name: string) => api.prisma.source.create({ data: { kind: "PERSON", name } }).then((s) => s.id);
    sources.dana = await source("Dana Engineer");
    sources.guess = await source("Guess");
    sources.draftOnly = await source("Draft Source");
    sources.anonymous = (
      await api.prisma.source.create({
        data: {
          kind: "ANONYMOUS",
          name: "Dam official (internal label)",
          terms: "NOT_FOR_ATTRIBUTION",
          anonymousDescription: "an official at the dam",
          anonymityReason: "not authorized to speak",
          anonymityApprovedAt: new Date(),
          anonymityApprovedById: editor.userId,
          identityKeepers: { create: { userId: editor.userId } },
        },
      })
    ).id;
    let attributed = 0;
    const attribute = (storyId: string, paragraphId: string, sourceId: string, quote: string, confirmed = true) =>
      api.prisma.attribution.create({
        data: { storyId, paragraphId, sourceId, quote, confirmed, kind: "STATEMENT", createdAt: new Date(++attributed * 1000) },
      });
    await attribute(published.id, p0!, sources.dana, "held overnight");
    await attribute(published.id, p1!, sources.guess, "would hold", false);
    await attribute(published.id, p1!, sources.anonymous, "said it would hold");
    await attribute(draft.id, d0!, sources.draftOnly, "may fail");
    await attribute(draft.id, d0!, sources.dana, "fear the dam");
    await api.prisma.story.update({ where: { id: published.id }, data: { status: "PUBLISHED", publishedAt: new Date() } });
  });
  afterAll(() => api?.close());

  const publishedStory = async (viewer: Viewer) =>
    ok(await api.graphql(StoryRelationsDocument, { slug: "dam-holds" }, tokens[viewer])).story!;
  const draftStory = async (viewer: Viewer) =>
    ok(await api.graphql(StoryRelationsDocument, { slug: "dam-may-fail" }, tokens[viewer])).story;
  const photoStories = async (viewer: Viewer, id: string) =>
    ok(await api.graphql(PhotoStoriesDocument, { id }, tokens[viewer])).photo?.stories.map((story) => story.slug) ?? null;
  const source = async (viewer: Viewer, id: string) => ok(await api.graphql(SourceRelationsDocument, { id }, tokens[viewer])).source;
  /** Expected values: the public's, and staff's, which reporters and editors share. */
  const expectFor = (viewer: Viewer, forPublic: unknown, forStaff: unknown) => (viewer === "public" ? forPublic : forStaff);

  it("Query.story, stories and searchStories: the public finds the published story only", async () => {
    for (const viewer of VIEWERS) {
      expect(await draftStory(viewer), viewer).toEqual(expectFor(viewer, null, expect.objectContaining({ slug: "dam-may-fail" })));
      const list = ok(await api.graphql(StoryHeadlinesDocument, {}, tokens[viewer])).stories;
      expect(list.totalCount, viewer).toBe(expectFor(viewer, 1, 2));
      const found = ok(await api.graphql(SearchStorySlugsDocument, { query: "dam" }, tokens[viewer])).searchStories;
      expect(found.edges.map((edge) => edge.node.slug).sort(), viewer).toEqual(
        expectFor(viewer, ["dam-holds"], ["dam-holds", "dam-may-fail"]),
      );
      expect(found.totalCount, viewer).toBe(expectFor(viewer, 1, 2));
    }
  });

  it("Story.paragraphs and bodyText: all of a story one may read", async () => {
    for (const viewer of VIEWERS) {
      const story = await publishedStory(viewer);
      expect(
        story.paragraphs.map((p) => p.text),
        viewer,
      ).toEqual(["The dam held overnight.", "Engineers said it would hold."]);
      expect(story.bodyText, viewer).toBe("The dam held overnight.\n\nEngineers said it would hold.");
      expect((await draftStory(viewer))?.paragraphs.length ?? null, viewer).toBe(expectFor(viewer, null, 1));
    }
  });

  it("Story.photos and leadPhoto, and StoryPhoto.photo and paragraph: every placement of a story one may read", async () => {
    for (const viewer of VIEWERS) {
      const story = await publishedStory(viewer);
      expect(story.photos, viewer).toEqual([
        { photo: { id: photos.lead }, paragraph: null },
        { photo: { id: photos.shared }, paragraph: { text: "Engineers said it would hold." } },
      ]);
      expect(story.leadPhoto, viewer).toEqual({ photo: { id: photos.lead } });
      const draft = await draftStory(viewer);
      expect(draft?.leadPhoto ?? null, viewer).toEqual(expectFor(viewer, null, { photo: { id: photos.draftOnly } }));
    }
  });

  it("Story.attributions, and Attribution.source, paragraph and story: the public sees confirmed ones only", async () => {
    for (const viewer of VIEWERS) {
      const { attributions } = await publishedStory(viewer);
      const dana = {
        quote: "held overnight",
        confirmed: true,
        source: { name: "Dana Engineer" },
        paragraph: { text: "The dam held overnight." },
        story: { slug: "dam-holds" },
      };
      const guess = {
        quote: "would hold",
        confirmed: false,
        source: { name: "Guess" },
        paragraph: { text: "Engineers said it would hold." },
        story: { slug: "dam-holds" },
      };
      const official = (name: string) => ({
        quote: "said it would hold",
        confirmed: true,
        source: { name },
        paragraph: { text: "Engineers said it would hold." },
        story: { slug: "dam-holds" },
      });
      expect(attributions, viewer).toEqual(
        expectFor(viewer, [dana, official("an official at the dam")], [dana, guess, official("Dam official (internal label)")]),
      );
    }
  });

  it("Story.sources: those of the attributions one may read, in order of first appearance", async () => {
    for (const viewer of VIEWERS) {
      const names = (await publishedStory(viewer)).sources.map((s) => s.name);
      expect(names, viewer).toEqual(
        expectFor(viewer, ["Dana Engineer", "an official at the dam"], ["Dana Engineer", "Guess", "Dam official (internal label)"]),
      );
      const draft = await draftStory(viewer);
      expect(draft?.sources.map((s) => s.name) ?? null, viewer).toEqual(expectFor(viewer, null, ["Draft Source", "Dana Engineer"]));
    }
  });

  it("Story.history and StoryEvent.actor: staff only, null for the public", async () => {
    for (const viewer of VIEWERS) {
      expect((await publishedStory(viewer)).history, viewer).toEqual(
        expectFor(viewer, null, [{ action: "CREATED", actor: { name: "Rita Reporter" } }]),
      );
    }
  });

  it("Photo.stories: the stories one may read that show the photo; the public sees no photo of drafts only", async () => {
    for (const viewer of VIEWERS) {
      expect(await photoStories(viewer, photos.lead), viewer).toEqual(["dam-holds"]);
      expect(await photoStories(viewer, photos.shared), viewer).toEqual(expectFor(viewer, ["dam-holds"], ["dam-holds", "dam-may-fail"]));
      expect(await photoStories(viewer, photos.draftOnly), viewer).toEqual(expectFor(viewer, null, ["dam-may-fail"]));
    }
  });

  it("Source.attributions: the attributions one may read, with their stories; the public sees no source quoted only where it may not read", async () => {
    for (const viewer of VIEWERS) {
      const dana = await source(viewer, sources.dana);
      const inPublished = {
        quote: "held overnight",
        story: { slug: "dam-holds" },
        source: { name: "Dana Engineer" },
        paragraph: { text: "The dam held overnight." },
      };
      const inDraft = {
        quote: "fear the dam",
        story: { slug: "dam-may-fail" },
        source: { name: "Dana Engineer" },
        paragraph: { text: "Engineers fear the dam may fail." },
      };
      expect(dana?.attributions, viewer).toEqual(expectFor(viewer, [inPublished], [inPublished, inDraft]));
      expect((await source(viewer, sources.guess))?.attributions.map((a) => a.quote) ?? null, viewer).toEqual(
        expectFor(viewer, null, ["would hold"]),
      );
      expect((await source(viewer, sources.draftOnly))?.attributions.map((a) => a.story?.slug) ?? null, viewer).toEqual(
        expectFor(viewer, null, ["dam-may-fail"]),
      );
      const listed = ok(await api.graphql(SourcesDocument, { first: 100 }, tokens[viewer])).sources;
      expect(listed.totalCount, viewer).toBe(expectFor(viewer, 2, 4));
    }
  });

  it("Source.identityKnownBy: staff only, null for the public", async () => {
    for (const viewer of VIEWERS) {
      const anonymous = await source(viewer, sources.anonymous);
      expect(anonymous?.name, viewer).toBe(expectFor(viewer, "an official at the dam", "Dam official (internal label)"));
      expect(anonymous?.identityKnownBy, viewer).toEqual(expectFor(viewer, null, [{ name: "Eddie Editor" }]));
      expect((await source(viewer, sources.dana))?.identityKnownBy, viewer).toEqual(expectFor(viewer, null, []));
    }
  });

  it("Source.anonymityApprovedAt and anonymityApprovedBy, and Story.publishBlockers: staff only, null for the public", async () => {
    for (const viewer of VIEWERS) {
      const approval = ok(await api.graphql(SourceApprovalDocument, { id: sources.anonymous }, tokens[viewer])).source!;
      expect(approval.anonymityApprovedAt === null, viewer).toBe(viewer === "public");
      expect(approval.anonymityApprovedBy, viewer).toEqual(expectFor(viewer, null, { name: "Eddie Editor" }));
      const story = ok(await api.graphql(StoryReadinessDocument, { slug: "dam-holds" }, tokens[viewer])).story!;
      const guessed = expectFor(viewer, null, [expect.objectContaining({ kind: "ATTRIBUTION_UNCONFIRMED", sourceId: sources.guess })]);
      expect(story.publishBlockers, viewer).toEqual(guessed);
    }
  });
});
