// The generated documents come from `npm run codegen`, which the "pretest" script runs first.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createNewsroomClient,
  frontPage,
  NewsroomRequestError,
  runEditorialFlow,
  searchStories,
  storyPage,
  viewer,
  type NewsroomClient,
} from "../examples/client.js";
import { CreateStoryDocument, SubmitStoryForReviewDocument } from "../examples/generated/graphql.js";
import { AP_STORY_FILE, startTestApi, type TestApi } from "./support/api.js";

const AP_HEADLINE = "Iraq considers deepening military ties with Russia";
// The filed text, not the app's parser, says what the caption is: headline, caption, then the body.
const AP_CAPTION = readFileSync(AP_STORY_FILE, "utf8").split(/\n\s*\n/)[1];

describe("the example typed client against the real API", () => {
  let api: TestApi;
  let reader: NewsroomClient;
  let reporter: NewsroomClient;
  let editor: NewsroomClient;

  beforeAll(async () => {
    api = await startTestApi();
    await api.seedApStory();
    reader = createNewsroomClient({ url: api.url });
    reporter = createNewsroomClient({ url: api.url, token: (await api.tokenFor("REPORTER", "Rita Reporter")).token });
    editor = createNewsroomClient({ url: api.url, token: (await api.tokenFor("EDITOR", "Ed Editor")).token });
  });
  afterAll(() => api?.close());

  it("loads the public front page with the seeded story", async () => {
    const page = await frontPage(reader);
    expect(page.totalCount).toBe(1);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.edges.map((edge) => edge.node.headline)).toEqual([AP_HEADLINE]);
    expect(page.edges[0]?.node).toMatchObject({
      slug: "iraq-considers-deepening-military-ties-with-russia",
      dateline: "BAGHDAD",
      credit: "AP",
    });
  });

  it("loads the story page by slug: body, photo and who said what", async () => {
    const story = await storyPage(reader, "iraq-considers-deepening-military-ties-with-russia");
    if (!story) throw new Error("the seeded story is not on its page");
    expect(story.headline).toBe(AP_HEADLINE);
    expect(story.paragraphs).toHaveLength(12);
    expect(story.paragraphs.map((paragraph) => paragraph.position)).toEqual([...Array(12).keys()]);

    expect(AP_CAPTION).toMatch(/Balad Air Base/);
    expect(story.photos).toHaveLength(1);
    expect(story.photos[0]).toMatchObject({ role: "LEAD", position: 0, caption: AP_CAPTION, credit: "AP Photo" });
    expect(story.photos[0]?.photo).toMatchObject({
      caption: AP_CAPTION,
      isFilePhoto: true,
      location: "Balad Air Base, Iraq",
      takenAt: "2018-02-13T00:00:00.000Z",
    });

    const paragraphIds = new Set(story.paragraphs.map((paragraph) => paragraph.id));
    const sourceIds = new Set(story.sources.map((source) => source.id));
    expect(story.attributions.length).toBeGreaterThan(0);
    for (const attribution of story.attributions) {
      expect(paragraphIds).toContain(attribution.paragraph.id);
      expect(sourceIds).toContain(attribution.source.id);
    }
    expect(story.sources.map((source) => source.name)).toEqual(expect.arrayContaining(["Iraq's Defense Ministry", "Othman Al-Ghanimi"]));
  });

  it("gets null, not an error, for a slug that is not published", async () => {
    expect(await storyPage(reader, "no-such-story")).toBeNull();
  });

  it("finds the story by a word from its body", async () => {
    const results = await searchStories(reader, "reconnaissance");
    expect(results.totalCount).toBe(1);
    expect(results.edges[0]?.node.headline).toBe(AP_HEADLINE);
  });

  it("tells the editor tool who is signed in, and nobody for the public", async () => {
    expect(await viewer(reporter)).toMatchObject({ name: "Rita Reporter", role: "REPORTER" });
    expect(await viewer(reader)).toBeNull();
  });

  it("takes a story from a reporter's draft to the public front page", async () => {
    const beforeTheFlow = Date.now();
    const published = await runEditorialFlow(
      { reporter, editor },
      {
        draft: {
          headline: "River road reopens after the flood",
          dateline: "MOSUL",
          paragraphs: ["Crews cleared the last of the mud overnight.", "Traffic resumed at dawn."],
        },
        revision: { summary: "The road along the Tigris is open again." },
      },
    );
    // Create, revise, submit, publish: each step bumps the version the next one must send.
    expect(published).toMatchObject({ status: "PUBLISHED", version: 4, slug: "river-road-reopens-after-the-flood" });
    expect(Date.parse(published.publishedAt ?? "")).toBeGreaterThanOrEqual(beforeTheFlow);
    expect(Date.parse(published.publishedAt ?? "")).toBeLessThanOrEqual(Date.now());

    const page = await frontPage(reader);
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((edge) => edge.node.headline)).toEqual(["River road reopens after the flood", AP_HEADLINE]);
    expect(page.edges[0]?.node).toMatchObject({ id: published.id, summary: "The road along the Tigris is open again.", dateline: "MOSUL" });

    const story = await storyPage(reader, published.slug);
    expect(story?.paragraphs.map((paragraph) => paragraph.text)).toEqual([
      "Crews cleared the last of the mud overnight.",
      "Traffic resumed at dawn.",
    ]);
  });

  it("throws the server's messages and codes when a request fails", async () => {
    const signedOut = reader.request(CreateStoryDocument, { input: { headline: "Nobody may write this" } });
    await expect(signedOut).rejects.toBeInstanceOf(NewsroomRequestError);
    await expect(signedOut).rejects.toMatchObject({ operation: "CreateStory", errors: [{ code: "UNAUTHENTICATED" }] });
    await expect(signedOut).rejects.toThrow(/CreateStory failed: .+ \[UNAUTHENTICATED\]/);

    const { createStory } = await reporter.request(CreateStoryDocument, { input: { headline: "Two tabs, one draft" } });
    const draft = createStory.story!;
    await reporter.request(SubmitStoryForReviewDocument, { id: draft.id, expectedVersion: draft.version });
    const stale = reporter.request(SubmitStoryForReviewDocument, { id: draft.id, expectedVersion: draft.version });
    await expect(stale).rejects.toMatchObject({ errors: [{ code: "CONFLICT" }] });
  });
});
