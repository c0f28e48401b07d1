import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddAttributionDocument,
  AddParagraphDocument,
  AttachPhotoDocument,
  CreatePhotoDocument,
  CreateSourceDocument,
  CreateStoryDocument,
  KillNoticeDocument,
  KillStoryDocument,
  PhotoStoriesDocument,
  PrintedStoryDocument,
  PublishStoryDocument,
  RestoreStoryDocument,
  SearchStorySlugsDocument,
  SourceRelationsDocument,
  StoryCountDocument,
  StoryEmbargoDocument,
  StoryHeadlinesDocument,
  StoryHistoryDocument,
  StoryJsonLdDocument,
  StoryLookupDocument,
  StoryRevisionsDocument,
  UpdateStoryDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, startTestApiOn, type TestApi } from "../support/api.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { waitUntil } from "../support/wait.js";
import { collectLogLines } from "../support/logs.js";

const HOUR_MS = 3_600_000;
/** Waits are for a notification or an embargo lift; generous, never a measure of speed. */
const WAIT_MS = 60_000;

/** A published story as the tests make it: a word of its own in the headline and in the body, a photo and a source of its own. */
interface Fixture {
  id: string;
  slug: string;
  version: number;
  /** Only this story's headline has it. */
  headlineWord: string;
  /** Only this story's body has it. */
  bodyWord: string;
  photoId: string;
  sourceId: string;
}

let made = 0;

/**
 * Writes a story, places a photo and quotes a source in it, and publishes it, all through the API,
 * optionally under an embargo set with the story.
 */
async function publishedStory(api: TestApi, editor: string, options: { embargoedUntil?: Date } = {}): Promise<Fixture> {
  made += 1;
  const tag = `${Date.now().toString(36)}${made}`;
  const [headlineWord, bodyWord] = [`zephyr${tag}`, `quokka${tag}`];
  const created = ok(
    await api.graphql(
      CreateStoryDocument,
      {
        input: {
          headline: `Flood warning ${headlineWord}`,
          summary: `The river rose ${bodyWord} overnight`,
          dateline: "CAIRO, Ill.",
          credit: "AP",
          paragraphs: [`The river rose ${bodyWord} overnight, officials said.`, "Residents were told to leave."],
          bylines: [{ name: "Jane Desk", title: "Associated Press" }],
          ...(options.embargoedUntil ? { embargoedUntil: options.embargoedUntil.toISOString() } : {}),
        },
      },
      editor,
    ),
  ).createStory.story!;
  const photoId = ok(await api.graphql(CreatePhotoDocument, { input: { caption: `The river ${tag}`, credit: "AP Photo" } }, editor))
    .createPhoto.photo!.id;
  const attached = ok(
    await api.graphql(
      AttachPhotoDocument,
      { input: { storyId: created.id, expectedVersion: created.version, photoId, role: "LEAD" } },
      editor,
    ),
  ).attachPhoto.story!;
  const sourceId = ok(await api.graphql(CreateSourceDocument, { input: { kind: "PERSON", name: `Officer ${tag}` } }, editor)).createSource
    .source!.id;
  const quoted = ok(
    await api.graphql(
      AddAttributionDocument,
      { input: { storyId: created.id, paragraphId: created.paragraphs[0]!.id, sourceId, kind: "STATEMENT", quote: "The river rose" } },
      editor,
    ),
  ).addAttribution.attribution!;
  expect(quoted.story!.version).toBe(attached.version + 1);
  const published = ok(await api.graphql(PublishStoryDocument, { id: created.id, v: quoted.story!.version }, editor)).step.story!;
  expect(published.status).toBe("PUBLISHED");
  return { id: created.id, slug: created.slug, version: published.version, headlineWord, bodyWord, photoId, sourceId };
}

/** The story as IPTC ninjs for partners, over plain HTTP. */
async function ninjsOf(api: TestApi, slug: string, token?: string) {
  const response = await fetch(`${new URL(api.url).origin}/ninjs/stories/${encodeURIComponent(slug)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, text: await response.text() };
}

/** Every public path a story can be reached by, each saying whether it shows the story. */
const PATHS = {
  "story by id": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(StoryLookupDocument, { id: story.id }, token)).story !== null,
  "story by slug": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(StoryLookupDocument, { slug: story.slug }, token)).story !== null,
  "the stories list": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(StoryHeadlinesDocument, { first: 100 }, token)).stories.edges.some((edge) => edge.node.id === story.id),
  "a search on its headline": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(SearchStorySlugsDocument, { query: story.headlineWord }, token)).searchStories.edges.some(
      (edge) => edge.node.slug === story.slug,
    ),
  "a search on its body": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(SearchStorySlugsDocument, { query: story.bodyWord }, token)).searchStories.edges.some(
      (edge) => edge.node.slug === story.slug,
    ),
  "the list filtered by its words": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(StoryHeadlinesDocument, { filter: { text: story.bodyWord } }, token)).stories.edges.some(
      (edge) => edge.node.id === story.id,
    ),
  "its source's attributions": async (api: TestApi, story: Fixture, token?: string) =>
    (ok(await api.graphql(SourceRelationsDocument, { id: story.sourceId }, token)).source?.attributions ?? []).some(
      (attribution) => attribution.story?.slug === story.slug,
    ),
  "the list filtered by its source": async (api: TestApi, story: Fixture, token?: string) =>
    ok(await api.graphql(StoryHeadlinesDocument, { filter: { sourceId: story.sourceId } }, token)).stories.edges.some(
      (edge) => edge.node.id === story.id,
    ),
  // The public's item of a killed story is its canceled notice alone (no headline, no body): the story is not
  // shown. Staff get the canceled item with its headline.
  "its ninjs item": async (api: TestApi, story: Fixture, token?: string) => {
    const { status, text } = await ninjsOf(api, story.slug, token);
    return status === 200 && (token !== undefined || JSON.parse(text).pubStatus !== "canceled");
  },
  "its photo's stories": async (api: TestApi, story: Fixture, token?: string) =>
    (ok(await api.graphql(PhotoStoriesDocument, { id: story.photoId }, token)).photo?.stories ?? []).some(
      (each) => each.slug === story.slug,
    ),
};
type PathName = keyof typeof PATHS;
const PATH_NAMES = Object.keys(PATHS) as PathName[];

async function pathsShowing(api: TestApi, story: Fixture, token?: string): Promise<Record<PathName, boolean>> {
  const shown = {} as Record<PathName, boolean>;
  for (const name of PATH_NAMES) shown[name] = await PATHS[name](api, story, token);
  return shown;
}

const everyPath = (value: boolean) => Object.fromEntries(PATH_NAMES.map((name) => [name, value]));

/** The public's count of the front page, and whether it came from the counts kept per status. */
async function publicCount(api: TestApi) {
  const before = api.statements.length;
  const { totalCount, totalCountIsExact } = ok(await api.graphql(StoryCountDocument, {})).stories;
  const readCounters = api.statements.slice(before).some((sql) => sql.includes("story_counts"));
  return { totalCount, totalCountIsExact, readCounters };
}

describe("embargo, kill and retraction in every public path", () => {
  let api: TestApi;
  let editor: string;
  let reporter: string;

  beforeAll(async () => {
    api = await startTestApi();
    editor = (await api.tokenFor("EDITOR", "Eddie Editor")).token;
    reporter = (await api.tokenFor("REPORTER", "Rita Reporter")).token;
  });
  afterAll(() => api?.close());

  describe("an embargoed published story is invisible to the public in every path, checked one by one", () => {
    let embargoed: Fixture;
    let visible: Fixture;

    beforeAll(async () => {
      visible = await publishedStory(api, editor);
      embargoed = await publishedStory(api, editor, { embargoedUntil: new Date(Date.now() + HOUR_MS) });
    });

    for (const name of PATH_NAMES) {
      it(`${name}: hidden from the public, shown to staff; a story without an embargo is shown`, async () => {
        expect(await PATHS[name](api, embargoed), "public").toBe(false);
        expect(await PATHS[name](api, embargoed, editor), "editor").toBe(true);
        expect(await PATHS[name](api, visible), "public, no embargo").toBe(true);
      });
    }

    it("totalCount: the public's is the PUBLISHED count less the embargoed stories, still read from the counts kept per status", async () => {
      const published = await api.prisma.story.count({ where: { status: "PUBLISHED" } });
      const underEmbargo = await api.prisma.story.count({ where: { status: "PUBLISHED", embargoedUntil: { gt: new Date() } } });
      expect(underEmbargo).toBeGreaterThan(0);
      expect(await publicCount(api)).toEqual({ totalCount: published - underEmbargo, totalCountIsExact: true, readCounters: true });
      const staff = ok(await api.graphql(StoryCountDocument, { filter: { status: "PUBLISHED" } }, editor)).stories;
      expect(staff.totalCount).toBe(published);
      // The public's list holds as many stories as it counts.
      const listed = ok(await api.graphql(StoryHeadlinesDocument, { first: 100 })).stories;
      expect(listed.edges.length).toBe(listed.totalCount);
    });

    it("embargoedUntil: staff read it, the public never", async () => {
      const forStaff = ok(await api.graphql(StoryEmbargoDocument, { id: embargoed.id }, editor)).story!;
      expect(new Date(forStaff.embargoedUntil!).getTime()).toBeGreaterThan(Date.now());
      const afterLift = ok(await api.graphql(PrintedStoryDocument, { slug: visible.slug })).story!;
      expect(afterLift.embargoedUntil).toBeNull();
    });

    it("setting and clearing an embargo is a versioned edit with its revision and event; cleared, the story is public at once", async () => {
      const story = await publishedStory(api, editor);
      const until = new Date(Date.now() + HOUR_MS).toISOString();
      const stale = await api.graphql(
        UpdateStoryDocument,
        { id: story.id, v: story.version - 1, input: { embargoedUntil: until } },
        editor,
      );
      expect({ code: failure(stale).code, reason: failure(stale).extensions.reason }).toEqual({
        code: "CONFLICT",
        reason: "STALE_VERSION",
      });

      const set = ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { embargoedUntil: until } }, editor));
      expect(set.updateStory.story!.version).toBe(story.version + 1);
      expect(await pathsShowing(api, story)).toEqual(everyPath(false));

      const cleared = ok(
        await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version + 1, input: { embargoedUntil: null } }, editor),
      );
      expect(cleared.updateStory.story!.version).toBe(story.version + 2);
      expect(ok(await api.graphql(StoryEmbargoDocument, { id: story.id }, editor)).story!.embargoedUntil).toBeNull();
      expect(await pathsShowing(api, story)).toEqual(everyPath(true));

      const revisions = ok(await api.graphql(StoryRevisionsDocument, { id: story.id, first: 2 }, editor)).story!.revisions!;
      expect(revisions.edges.map((edge) => edge.node.version)).toEqual([story.version + 2, story.version + 1]);
      const history = ok(await api.graphql(StoryHistoryDocument, { id: story.id }, editor)).story!.history!;
      expect(history.filter((event) => event.version > story.version).map((event) => event.action)).toEqual(["UPDATED", "UPDATED"]);
    });

    it("an embargo already past holds nothing back", async () => {
      const story = await publishedStory(api, editor, { embargoedUntil: new Date(Date.now() - 1000) });
      expect(await pathsShowing(api, story)).toEqual(everyPath(true));
    });
  });

  describe("a killed story leaves every public path at once", () => {
    it("is shown in every path until the kill and in none after it; staff keep it, with a revision and a KILLED event", async () => {
      const story = await publishedStory(api, editor);
      expect(await pathsShowing(api, story)).toEqual(everyPath(true));
      const countBefore = (await publicCount(api)).totalCount;

      const killed = ok(await api.graphql(KillStoryDocument, { id: story.id, v: story.version, reason: "  Legal: withdrawn.  " }, editor))
        .killStory.story!;
      expect(killed).toEqual({ id: story.id, status: "KILLED", version: story.version + 1 });

      expect(await pathsShowing(api, story)).toEqual(everyPath(false));
      expect(await publicCount(api)).toEqual({ totalCount: countBefore - 1, totalCountIsExact: true, readCounters: true });
      expect(await pathsShowing(api, story, editor)).toEqual(everyPath(true));

      const revisions = ok(await api.graphql(StoryRevisionsDocument, { id: story.id, first: 1 }, editor)).story!.revisions!;
      expect(revisions.edges[0]!.node).toMatchObject({ version: story.version + 1, action: "KILLED", author: { name: "Eddie Editor" } });
      expect(revisions.edges[0]!.node.paragraphs.map((paragraph) => paragraph.text)[0]).toContain(story.bodyWord);
      const history = ok(await api.graphql(StoryHistoryDocument, { id: story.id }, editor)).story!.history!;
      expect(history.find((event) => event.action === "KILLED")).toEqual({
        action: "KILLED",
        version: story.version + 1,
        fromStatus: "PUBLISHED",
        toStatus: "KILLED",
        actor: { name: "Eddie Editor" },
      });

      const notice = ok(await api.graphql(KillNoticeDocument, { slug: story.slug })).killNotice!;
      expect(notice).toEqual({ slug: story.slug, killedAt: expect.any(String), notice: "Legal: withdrawn." });
      // The slug is made from the headline, but neither the headline as printed nor the body is in the notice.
      expect(JSON.stringify(notice)).not.toMatch(new RegExp(`Flood warning|${story.bodyWord}`));
    });

    it("has a kill notice at its slug; a story that is not killed, or was killed before the public saw it, has none for the public", async () => {
      const live = await publishedStory(api, editor);
      expect(ok(await api.graphql(KillNoticeDocument, { slug: live.slug })).killNotice).toBeNull();
      expect(ok(await api.graphql(KillNoticeDocument, { slug: "no-such-story" })).killNotice).toBeNull();

      const draft = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Never ran", paragraphs: ["No."] } }, editor))
        .createStory.story!;
      ok(await api.graphql(KillStoryDocument, { id: draft.id, v: draft.version, reason: "Spiked for good" }, editor));
      expect(ok(await api.graphql(KillNoticeDocument, { slug: draft.slug })).killNotice).toBeNull();
      expect(ok(await api.graphql(KillNoticeDocument, { slug: draft.slug }, editor)).killNotice).toMatchObject({
        notice: "Spiked for good",
      });
    });

    it("refuses a blank reason, a reporter, a stale version, and any change once killed, writing nothing", async () => {
      const story = await publishedStory(api, editor);
      const kill = (v: number, reason: string, token = editor) => api.graphql(KillStoryDocument, { id: story.id, v, reason }, token);

      const blank = failure(await kill(story.version, "   "));
      expect({ code: blank.code, field: blank.field }).toEqual({ code: "BAD_USER_INPUT", field: "reason" });
      expect(failure(await kill(story.version, "Too long".repeat(300))).field).toBe("reason");
      expect(failure(await kill(story.version, "Mine now", reporter)).code).toBe("FORBIDDEN");
      const stale = failure(await kill(story.version - 1, "Late"));
      expect({ code: stale.code, reason: stale.extensions.reason }).toEqual({ code: "CONFLICT", reason: "STALE_VERSION" });
      expect(ok(await api.graphql(StoryEmbargoDocument, { id: story.id }, editor)).story).toMatchObject({
        status: "PUBLISHED",
        version: story.version,
      });

      ok(await kill(story.version, "Wrong town"));
      const v = story.version + 1;
      const refusals = {
        "kill again": await kill(v, "Again"),
        updateStory: await api.graphql(UpdateStoryDocument, { id: story.id, v, input: { headline: "Back", minorEditReason: "x" } }, editor),
        "clear an embargo": await api.graphql(UpdateStoryDocument, { id: story.id, v, input: { embargoedUntil: null } }, editor),
        addParagraph: await api.graphql(AddParagraphDocument, { input: { storyId: story.id, expectedVersion: v, text: "More." } }, editor),
        publishStory: await api.graphql(PublishStoryDocument, { id: story.id, v }, editor),
        restoreStory: await api.graphql(RestoreStoryDocument, { id: story.id, v }, editor),
      };
      for (const [what, response] of Object.entries(refusals)) {
        const error = failure(response);
        expect({ code: error.code, reason: error.extensions.reason }, what).toEqual({ code: "CONFLICT", reason: "INVALID_TRANSITION" });
      }
      expect(ok(await api.graphql(StoryEmbargoDocument, { id: story.id }, editor)).story).toMatchObject({ status: "KILLED", version: v });
      expect(await pathsShowing(api, story)).toEqual(everyPath(false));
    });
  });

  describe("a retraction keeps the headline and the note public and hides the body", () => {
    let story: Fixture;
    const note = "This story was retracted: the flood warning it reported was never issued.";

    beforeAll(async () => {
      story = await publishedStory(api, editor);
      ok(
        await api.graphql(
          UpdateStoryDocument,
          { id: story.id, v: story.version, input: { correction: { kind: "RETRACTION", text: note } } },
          editor,
        ),
      );
    });

    it("the public reads the headline, dateline, credit, bylines and the note; not the summary, body, photos or quotes", async () => {
      expect(ok(await api.graphql(PrintedStoryDocument, { slug: story.slug })).story).toEqual({
        id: story.id,
        headline: `Flood warning ${story.headlineWord}`,
        summary: null,
        dateline: "CAIRO, Ill.",
        credit: "AP",
        embargoedUntil: null,
        bylines: [{ name: "Jane Desk" }],
        corrections: [{ kind: "RETRACTION", text: note }],
        paragraphs: [],
        bodyText: "",
        photos: [],
        leadPhoto: null,
        attributions: [],
        sources: [],
      });
    });

    it("partners' ninjs and the page's JSON-LD keep the headline and hide the body too", async () => {
      const ninjs = await ninjsOf(api, story.slug);
      expect(ninjs.status).toBe(200);
      expect(ninjs.text).toContain(story.headlineWord);
      expect(ninjs.text).toContain("retracted");
      expect(ninjs.text).not.toContain(story.bodyWord);
      expect((await ninjsOf(api, story.slug, editor)).text).toContain(story.bodyWord);
      const jsonLd = ok(await api.graphql(StoryJsonLdDocument, { slug: story.slug })).story!.jsonLd;
      expect(JSON.stringify(jsonLd)).toContain(story.headlineWord);
      expect(JSON.stringify(jsonLd)).not.toMatch(new RegExp(`${story.bodyWord}|The river`));
    });

    it("staff read everything", async () => {
      const forStaff = ok(await api.graphql(PrintedStoryDocument, { slug: story.slug }, editor)).story!;
      expect(forStaff.summary).toContain(story.bodyWord);
      expect(forStaff.paragraphs.map((paragraph) => paragraph.text)).toEqual([
        `The river rose ${story.bodyWord} overnight, officials said.`,
        "Residents were told to leave.",
      ]);
      expect([forStaff.photos.length, forStaff.attributions.length, forStaff.sources.length, forStaff.corrections.length]).toEqual([
        1, 1, 1, 1,
      ]);
    });

    it("the story stays in lists, in a search on its headline and in ninjs; its body, photo and source find it no more", async () => {
      expect(await pathsShowing(api, story)).toEqual({
        ...everyPath(false),
        "story by id": true,
        "story by slug": true,
        "the stories list": true,
        "a search on its headline": true,
        "its ninjs item": true,
      });
      expect(await pathsShowing(api, story, editor)).toEqual(everyPath(true));
    });
  });
});

describe("the response cache, through a kill and an embargo lift", () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  let editor: string;
  const { sink, lines: logLines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    // Answers would live an hour: only an invalidation or an embargo lift ends them sooner.
    api = await startTestApiOn(
      database,
      { RESPONSE_CACHE: "on", RESPONSE_CACHE_MAX_AGE: "3600", RESPONSE_CACHE_KEEP_SECONDS: "3600" },
      sink,
    );
    editor = (await api.tokenFor("EDITOR", "Eddie Editor")).token;
    await waitUntil(() => logLines.some((line) => line.msg === "response cache listening for changes"), "the cache to listen", WAIT_MS);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  const invalidationsOf = (storyId: string) =>
    logLines.filter((line) => line.msg === "response cache invalidated" && (line.stories === "all" || line.stories.includes(storyId)))
      .length;

  async function changeThenAwaitInvalidation<T>(storyId: string, change: () => Promise<T>): Promise<T> {
    const before = invalidationsOf(storyId);
    const result = await change();
    await waitUntil(() => invalidationsOf(storyId) > before, `the invalidation of story ${storyId}`, WAIT_MS);
    return result;
  }

  /** A public GET, as a browser or a CDN sends it. */
  async function publicGet<Data, Variables>(document: TypedDocumentNode<Data, Variables>, variables: Variables) {
    const params = new URLSearchParams({ query: print(document), variables: JSON.stringify(variables) });
    const response = await fetch(`${api.url}?${params}`, { headers: { "apollo-require-preflight": "true" } });
    const body = (await response.json()) as { data: Data };
    return {
      data: body.data,
      cache: response.headers.get("x-cache"),
      cacheControl: response.headers.get("cache-control"),
      receivedAt: Date.now(),
    };
  }
  type FrontPageRead = Awaited<ReturnType<typeof frontPage>>;
  const frontPage = () => publicGet(StoryHeadlinesDocument, { first: 100 });
  const onFrontPage = (page: FrontPageRead, id: string) => page.data.stories.edges.some((edge) => edge.node.id === id);

  it("a kill drops the cached story page, front page and count at once, and the notice is there", async () => {
    const story = await publishedStory(api, editor);
    await waitUntil(() => invalidationsOf(story.id) > 0, "the invalidation of its publication", WAIT_MS);
    await frontPage();
    const cachedFront = await frontPage();
    expect([cachedFront.cache, onFrontPage(cachedFront, story.id)]).toEqual(["HIT", true]);
    await publicGet(StoryLookupDocument, { slug: story.slug });
    expect((await publicGet(StoryLookupDocument, { slug: story.slug })).cache).toBe("HIT");

    await changeThenAwaitInvalidation(story.id, () =>
      api.graphql(KillStoryDocument, { id: story.id, v: story.version, reason: "Withdrawn" }, editor),
    );
    const front = await frontPage();
    expect(onFrontPage(front, story.id)).toBe(false);
    expect(front.data.stories.totalCount).toBe(front.data.stories.edges.length);
    expect((await publicGet(StoryLookupDocument, { slug: story.slug })).data.story).toBeNull();
    expect((await publicGet(KillNoticeDocument, { slug: story.slug })).data.killNotice).toMatchObject({ notice: "Withdrawn" });
  });

  it("an embargoed story is absent from the cached front page until its embargo lifts, and present after, with no change to announce it", async () => {
    const story = await publishedStory(api, editor, { embargoedUntil: new Date(Date.now() + HOUR_MS) });
    // Moves the lift a few seconds ahead (a versioned edit, which every instance hears of) until a
    // cached front page is read before it: on a busy machine the lift may come first, and is moved again, further.
    let version = story.version;
    let liftAt = 0;
    let seconds = 2;
    let hit: FrontPageRead | undefined;
    while (!hit) {
      seconds *= 2;
      liftAt = Date.now() + seconds * 1000;
      const input = { embargoedUntil: new Date(liftAt).toISOString() };
      const moved = await changeThenAwaitInvalidation(story.id, () =>
        api.graphql(UpdateStoryDocument, { id: story.id, v: version, input }, editor),
      );
      version = ok(moved).updateStory.story!.version;
      let read: FrontPageRead;
      do read = await frontPage();
      while (read.cache !== "HIT" && read.receivedAt < liftAt);
      if (read.receivedAt < liftAt) hit = read;
    }
    expect(onFrontPage(hit, story.id)).toBe(false);
    // No cache may keep it past the lift (it was stored less than `seconds` before), nor serve it stale.
    expect(Number(/max-age=(\d+)/.exec(hit.cacheControl ?? "")?.[1])).toBeLessThanOrEqual(seconds);
    expect(hit.cacheControl).not.toContain("stale-while-revalidate");

    const invalidations = logLines.filter((line) => line.msg === "response cache invalidated").length;
    const reads: FrontPageRead[] = [];
    await expect
      .poll(
        async () => {
          const read = await frontPage();
          reads.push(read);
          return onFrontPage(read, story.id);
        },
        { timeout: seconds * 1000 + WAIT_MS, interval: 50 },
      )
      .toBe(true);
    // Every answer before the lift is without the story, the first with it comes after; and nothing announced it.
    for (const read of reads.slice(0, -1)) expect(onFrontPage(read, story.id)).toBe(false);
    expect(reads.at(-1)!.receivedAt).toBeGreaterThanOrEqual(liftAt);
    expect(logLines.filter((line) => line.msg === "response cache invalidated").length).toBe(invalidations);
    expect(ok(await api.graphql(StoryLookupDocument, { slug: story.slug })).story).not.toBeNull();
  });
});
