import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/config.js";
import {
  AttachPhotoDocument,
  CreatePhotoDocument,
  CreateStoryDocument,
  KillStoryDocument,
  PublishStoryDocument,
  StoriesJsonLdDocument,
  StoryJsonLdDocument,
  UpdateStoryDocument,
} from "../generated/graphql.js";
import { AP_STORY_FILE, ok, startTestApi, startTestApiOn, type TestApi } from "../support/api.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { captionedJpeg } from "../support/photos.js";
import { waitUntil } from "../support/wait.js";
import { collectLogLines } from "../support/logs.js";

const PUBLICATION = {
  PUBLIC_BASE_URL: "https://news.example.org",
  PUBLISHER_NAME: "Example News",
  PUBLISHER_LOGO_URL: "https://news.example.org/logo.png",
};

// The schema as shipped in the repo, validated by ajv's draft 2020-12 build, as partners would.
const ninjsSchema = JSON.parse(readFileSync(path.join(projectRoot, "standards", "ninjs-schema_3.1.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
// Places may carry GeoJSON, a schema of its own that is not at hand offline; no story here has any.
ajv.addSchema({ $id: "https://geojson.org/schema/GeoJSON.json", type: "object" });
const validateNinjs = ajv.compile(ninjsSchema);

/** Fails the test, naming what is wrong, unless the item is valid ninjs 3.1. */
function expectValidNinjs(item: unknown): void {
  const valid = validateNinjs(item);
  expect(validateNinjs.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

// The filed text, read without the app's parser, so the test cannot agree with a bug.
const filed = readFileSync(AP_STORY_FILE, "utf8");
const [filedHeadline, filedCaption, ...filedBody] = filed.split(/\n\s*\n/) as [string, string, ...string[]];
const filedParagraphs = filedBody.map((paragraph) => paragraph.replace(/\s+$/, "")).filter(Boolean);

/** HTML text as the test expects it escaped: by hand, not by the library the app uses. */
const escaped = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

interface NinjsAnswer {
  status: number;
  headers: Headers;
  body: any;
}

async function getNinjs(api: Pick<TestApi, "url">, slug: string, token?: string): Promise<NinjsAnswer> {
  const response = await fetch(`${new URL(api.url).origin}/ninjs/stories/${encodeURIComponent(slug)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe("stories for partners (IPTC ninjs) and search engines (schema.org JSON-LD), over HTTP", () => {
  let api: TestApi;
  let editor: string;
  let seeded: { slug: string; storyId: string };
  const mediaDir = mkdtempSync(path.join(tmpdir(), "newsroom-syndication-media-"));

  beforeAll(async () => {
    api = await startTestApi({ ...PUBLICATION, MEDIA_DIR: mediaDir });
    editor = (await api.tokenFor("EDITOR", "Ed Editor")).token;
    seeded = await api.seedApStory();
  });
  afterAll(async () => {
    await api?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  /** A story with two reporters' bylines, copy that HTML would misread, and photos: one with a url, the lead without. */
  async function storyWithPhotos(options: { publish: boolean }) {
    const headline = `Council <b>votes</b> & "spends" ${Math.random().toString(36).slice(2, 8)}`;
    const created = ok(
      await api.graphql(
        CreateStoryDocument,
        {
          input: {
            headline,
            dateline: "SPRINGFIELD, Ill.",
            credit: "AP",
            paragraphs: ["The council voted 7-2 for the <budget> & the 'reserve' fund.", 'The mayor said "yes" to it.'],
            bylines: [
              { name: "Jane Doe", title: "Statehouse reporter", affiliation: "Example News" },
              { name: "John Roe" },
              { name: "AP" },
            ],
          },
        },
        editor,
      ),
    ).createStory.story!;
    const withUrl = ok(
      await api.graphql(
        CreatePhotoDocument,
        {
          input: {
            url: "https://images.example.org/council.jpg",
            caption: "Council members vote on Tuesday.",
            credit: "AP Photo/Jane Doe",
            location: "Springfield, Ill.",
            takenAt: "2026-11-30T15:00:00.000Z",
            altText: "Seven raised hands in the council chamber.",
          },
        },
        editor,
      ),
    ).createPhoto.photo!;
    const withoutUrl = ok(await api.graphql(CreatePhotoDocument, { input: { caption: "The town hall.", credit: "AP Photo" } }, editor))
      .createPhoto.photo!;
    let version = created.version;
    const attach = async (photoId: string, extra: { role: "LEAD" | "INLINE"; caption?: string }) => {
      const input = { storyId: created.id, photoId, expectedVersion: version, ...extra };
      version = ok(await api.graphql(AttachPhotoDocument, { input }, editor)).attachPhoto.story!.version;
    };
    await attach(withoutUrl.id, { role: "LEAD" });
    await attach(withUrl.id, { role: "INLINE", caption: "Council members vote on the budget, Tuesday." });
    if (options.publish) version = ok(await api.graphql(PublishStoryDocument, { id: created.id, v: version }, editor)).step.story!.version;
    return { ...created, headline, version, withUrl, withoutUrl };
  }

  describe("GET /ninjs/stories/{slug}", () => {
    it("is checked by a validator that refuses what the schema refuses", () => {
      // ninjs 1.x's lower-case names (versioncreated, pubstatus) are not 3.1's, whose schema allows no others.
      expect(validateNinjs({ uri: "https://news.example.org/stories/1", versioncreated: "2026-12-01T10:00:00Z" })).toBe(false);
      expect(validateNinjs({ uri: "https://news.example.org/stories/1", pubStatus: "killed" })).toBe(false);
      expect(validateNinjs({ type: "text" })).toBe(false);
      expect(validateNinjs({ uri: "https://news.example.org/stories/1", versionCreated: "yesterday" })).toBe(false);
    });

    it("gives the seeded AP story as valid ninjs, with its words, dateline, agency and photo as filed", async () => {
      const statementsBefore = api.statements.length;
      const { status, headers, body } = await getNinjs(api, seeded.slug);
      // The story and all it prints, in one statement.
      expect(api.statements.length - statementsBefore).toBe(1);
      expect(status).toBe(200);
      expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
      expectValidNinjs(body);

      const story = await api.prisma.story.findUniqueOrThrow({ where: { id: seeded.storyId }, include: { photos: true } });
      const photoId = story.photos[0]!.photoId;
      const photo = await api.prisma.photo.findUniqueOrThrow({ where: { id: photoId } });
      expect(filedParagraphs[0]!.startsWith("BAGHDAD (AP) — ")).toBe(true);
      expect(body).toEqual({
        uri: `https://news.example.org/stories/${seeded.storyId}`,
        type: "text",
        version: "1",
        firstCreated: story.createdAt.toISOString(),
        versionCreated: story.updatedAt.toISOString(),
        pubStatus: "usable",
        language: "en",
        headlines: [{ role: "main", contentType: "text/plain", value: filedHeadline }],
        bodies: [
          {
            role: "main",
            contentType: "text/plain",
            value: filedParagraphs.join("\n\n"),
            charCount: [...filedParagraphs.join("\n\n")].length,
            wordCount: filedParagraphs.join(" ").split(/\s+/).filter(Boolean).length,
          },
          { role: "richtext", contentType: "text/html", value: filedParagraphs.map((p) => `<p>${escaped(p)}</p>`).join("\n") },
        ],
        located: "BAGHDAD",
        by: "AP",
        organisations: [{ name: "AP", rel: "author" }],
        infoSources: [{ name: "AP", role: "originfo" }],
        associations: [
          {
            name: "leadPicture",
            uri: `https://news.example.org/photos/${photoId}`,
            type: "picture",
            versionCreated: photo.updatedAt.toISOString(),
            contentCreated: "2018-02-13T00:00:00.000Z",
            descriptions: [
              // The caption byte for byte as the wire filed it.
              { role: "caption", contentType: "text/plain", value: filedCaption },
              { role: "alternativeText", contentType: "text/plain", value: photo.altText },
            ],
            located: "Balad Air Base, Iraq",
            copyrightNotice: "AP Photo",
          },
        ],
      });
      expect(Buffer.from(body.associations[0].descriptions[0].value, "utf8").equals(Buffer.from(filedCaption, "utf8"))).toBe(true);
    });

    it("gives a story with photos: bylines as people, HTML escaped, renditions from a photo's url, captions as this story prints them", async () => {
      const story = await storyWithPhotos({ publish: true });
      const { status, body } = await getNinjs(api, story.slug);
      expect(status).toBe(200);
      expectValidNinjs(body);
      expect(body.headlines).toEqual([{ role: "main", contentType: "text/plain", value: story.headline }]);
      expect(body.bodies[0].value).toBe(
        `SPRINGFIELD, Ill. (AP) — The council voted 7-2 for the <budget> & the 'reserve' fund.\n\nThe mayor said "yes" to it.`,
      );
      expect(body.bodies[1].value).toBe(
        "<p>SPRINGFIELD, Ill. (AP) — The council voted 7-2 for the &lt;budget&gt; &amp; the &#39;reserve&#39; fund.</p>\n" +
          "<p>The mayor said &quot;yes&quot; to it.</p>",
      );
      expect(body.located).toBe("SPRINGFIELD, Ill.");
      expect(body.by).toBe("Jane Doe, John Roe and AP");
      expect(body.people).toEqual([
        { name: "Jane Doe", rel: "author" },
        { name: "John Roe", rel: "author" },
      ]);
      expect(body.organisations).toEqual([{ name: "AP", rel: "author" }]);
      expect(body.infoSources).toEqual([{ name: "AP", role: "originfo" }]);
      expect(body.associations).toHaveLength(2);
      const [lead, inline] = body.associations;
      expect(lead).toMatchObject({
        name: "leadPicture",
        type: "picture",
        uri: `https://news.example.org/photos/${story.withoutUrl.id}`,
        descriptions: [{ role: "caption", contentType: "text/plain", value: "The town hall." }],
        copyrightNotice: "AP Photo",
      });
      expect(lead.renditions).toBeUndefined();
      expect(inline).toMatchObject({
        name: "picture2",
        uri: `https://news.example.org/photos/${story.withUrl.id}`,
        contentCreated: "2026-11-30T15:00:00.000Z",
        located: "Springfield, Ill.",
        copyrightNotice: "AP Photo/Jane Doe",
        renditions: [{ name: "original", href: "https://images.example.org/council.jpg" }],
      });
      expect(inline.descriptions).toEqual([
        { role: "caption", contentType: "text/plain", value: "Council members vote on the budget, Tuesday." },
        { role: "alternativeText", contentType: "text/plain", value: "Seven raised hands in the council chamber." },
      ]);
    });

    it("gives a corrected story with its correction notes, newest first, at its new version", async () => {
      const story = await storyWithPhotos({ publish: true });
      let version = story.version;
      for (const [kind, text, headline] of [
        ["CORRECTION", "An earlier version gave the vote as 6-3.", `${story.headline} again`],
        ["CLARIFICATION", "The reserve fund is the city's.", `${story.headline} once more`],
      ] as const) {
        const input = { headline, correction: { kind, text } };
        version = ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: version, input }, editor)).updateStory.story!.version;
      }
      const { status, body } = await getNinjs(api, story.slug);
      expect(status).toBe(200);
      expectValidNinjs(body);
      expect(body.version).toBe(String(version));
      expect(body.headlines[0].value).toBe(`${story.headline} once more`);
      expect(body.descriptions).toEqual([
        { role: "clarification", contentType: "text/plain", value: "The reserve fund is the city's." },
        { role: "correction", contentType: "text/plain", value: "An earlier version gave the vote as 6-3." },
      ]);
    });

    it("gives an uploaded photo's renditions as absolute addresses that the API serves", async () => {
      const form = new FormData();
      const jpeg = await captionedJpeg({
        width: 800,
        height: 600,
        caption: { description: "Workers repair a bridge on Monday.", creditLine: "AP Photo/Ann Lee" },
      });
      form.append("file", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "bridge.jpg");
      const origin = new URL(api.url).origin;
      const uploaded = await fetch(`${origin}/media/photos`, {
        method: "POST",
        body: form,
        headers: { authorization: `Bearer ${editor}` },
      });
      expect(uploaded.status).toBe(201);
      const { photo } = (await uploaded.json()) as { photo: { id: string; renditions: { name: string; href: string; width: number }[] } };
      const created = ok(
        await api.graphql(
          CreateStoryDocument,
          { input: { headline: "Bridge repairs begin", paragraphs: ["Work began on Monday."] } },
          editor,
        ),
      ).createStory.story!;
      const attached = ok(
        await api.graphql(
          AttachPhotoDocument,
          { input: { storyId: created.id, photoId: photo.id, expectedVersion: created.version, role: "LEAD" } },
          editor,
        ),
      ).attachPhoto.story!;
      ok(await api.graphql(PublishStoryDocument, { id: created.id, v: attached.version }, editor));

      const { status, body } = await getNinjs(api, created.slug);
      expect(status).toBe(200);
      expectValidNinjs(body);
      const renditions = body.associations[0].renditions as { name: string; href: string; width: number; contentType: string }[];
      // 800 pixels wide: small at 320, medium at 768, large at the original's 800 (never enlarged), in WebP and JPEG.
      expect(renditions.map((r) => r.name).sort()).toEqual(photo.renditions.map((r) => r.name).sort());
      expect(renditions.map((r) => r.width).sort((a, b) => a - b)).toEqual([320, 320, 768, 768, 800, 800]);
      for (const rendition of renditions) {
        const stored = photo.renditions.find((r) => r.name === rendition.name)!;
        expect(rendition.href).toBe(`https://news.example.org${stored.href}`);
        expect(rendition.width).toBe(stored.width);
        const served = await fetch(`${origin}${new URL(rendition.href).pathname}`);
        expect(served.status).toBe(200);
        expect(served.headers.get("content-type")).toBe(rendition.contentType);
      }
    });

    it("withholds an embargoed story (staff only), and gives the public a killed story as canceled with its notice alone", async () => {
      const story = await storyWithPhotos({ publish: false });
      const embargoedUntil = new Date(Date.now() + 24 * 3600_000).toISOString();
      const embargoed = ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { embargoedUntil } }, editor))
        .updateStory.story!;
      const published = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: embargoed.version }, editor)).step.story!;

      expect((await getNinjs(api, story.slug)).status).toBe(404);
      const withheld = await getNinjs(api, story.slug, editor);
      expect(withheld.status).toBe(200);
      expectValidNinjs(withheld.body);
      expect(withheld.body).toMatchObject({ pubStatus: "withheld", embargoedUntil, headlines: [{ value: story.headline }] });
      expect(withheld.body.bodies).toHaveLength(2);

      const notice = "This story has been withdrawn: its figures could not be confirmed.";
      const killed = ok(await api.graphql(KillStoryDocument, { id: story.id, v: published.version, reason: notice }, editor)).killStory
        .story!;
      const canceled = await getNinjs(api, story.slug);
      expect(canceled.status).toBe(200);
      expectValidNinjs(canceled.body);
      expect(canceled.body).toEqual({
        uri: `https://news.example.org/stories/${story.id}`,
        type: "text",
        version: String(killed.version),
        firstCreated: expect.any(String),
        versionCreated: expect.any(String),
        pubStatus: "canceled",
        language: "en",
        descriptions: [{ role: "killNotice", contentType: "text/plain", value: notice }],
      });
      expect(JSON.stringify(canceled.body)).not.toContain("council");
      const forStaff = await getNinjs(api, story.slug, editor);
      expectValidNinjs(forStaff.body);
      expect(forStaff.body.pubStatus).toBe("canceled");
      expect(forStaff.body.bodies).toBeUndefined();
      expect(forStaff.body.associations).toBeUndefined();
    });

    it("answers the public 404 for a draft and an unknown slug, and staff 200 with a token", async () => {
      const draft = await storyWithPhotos({ publish: false });
      for (const slug of [draft.slug, "no-such-story"]) {
        const { status, headers, body } = await getNinjs(api, slug);
        expect(status).toBe(404);
        expect(headers.get("content-type")).toMatch(/^application\/json/);
        expect(body).toEqual({ errors: [{ message: `Story ${slug} was not found`, extensions: { code: "NOT_FOUND", field: "slug" } }] });
      }
      const staff = await getNinjs(api, draft.slug, editor);
      expect(staff.status).toBe(200);
      expect(staff.headers.get("cache-control")).toBe("private, no-store");
      expectValidNinjs(staff.body);
      expect(staff.body).toMatchObject({ pubStatus: "usable", headlines: [{ value: draft.headline }] });

      const badToken = await getNinjs(api, seeded.slug, "not-a-token");
      expect(badToken.status).toBe(401);
      expect(badToken.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect((await getNinjs(api, "x".repeat(201))).body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "slug" });
    });
  });

  describe("Story.jsonLd", () => {
    it("gives the seeded story as a NewsArticle: headline, dateline, dates, the agency as author, the publisher, the photo with caption and credit", async () => {
      const story = ok(await api.graphql(StoryJsonLdDocument, { slug: seeded.slug })).story!;
      const photo = await api.prisma.photo.findFirstOrThrow({ where: { stories: { some: { storyId: seeded.storyId } } } });
      expect(story.jsonLd).toEqual({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": `https://news.example.org/stories/${seeded.storyId}`,
        headline: filedHeadline,
        dateline: "BAGHDAD",
        datePublished: story.publishedAt,
        dateModified: story.updatedAt,
        inLanguage: "en",
        author: [{ "@type": "Organization", name: "AP" }],
        publisher: {
          "@type": "Organization",
          name: "Example News",
          url: "https://news.example.org",
          logo: { "@type": "ImageObject", url: "https://news.example.org/logo.png" },
        },
        image: [
          {
            "@type": "ImageObject",
            caption: filedCaption,
            creditText: "AP Photo",
            copyrightNotice: "AP Photo",
            description: photo.altText,
            contentLocation: { "@type": "Place", name: "Balad Air Base, Iraq" },
            dateCreated: "2018-02-13T00:00:00.000Z",
          },
        ],
      });
    });

    it("lists correction notes as CorrectionComments once there are any", async () => {
      const story = await storyWithPhotos({ publish: true });
      const before = ok(await api.graphql(StoryJsonLdDocument, { slug: story.slug })).story!;
      expect(before.jsonLd.correction).toBeUndefined();
      expect(before.jsonLd.author).toEqual([
        {
          "@type": "Person",
          name: "Jane Doe",
          jobTitle: "Statehouse reporter",
          affiliation: { "@type": "Organization", name: "Example News" },
        },
        { "@type": "Person", name: "John Roe" },
        { "@type": "Organization", name: "AP" },
      ]);
      expect((before.jsonLd.image as { caption: string }[]).map((image) => image.caption)).toEqual([
        "The town hall.",
        "Council members vote on the budget, Tuesday.",
      ]);
      const input = { headline: `${story.headline}, corrected`, correction: { kind: "CORRECTION" as const, text: "The vote was 7-2." } };
      ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input }, editor));
      const after = ok(await api.graphql(StoryJsonLdDocument, { slug: story.slug })).story!;
      const notes = await api.prisma.correction.findMany({ where: { storyId: story.id } });
      expect(after.jsonLd.headline).toBe(`${story.headline}, corrected`);
      expect(after.jsonLd.correction).toEqual([
        { "@type": "CorrectionComment", text: "The vote was 7-2.", datePublished: notes[0]!.createdAt.toISOString() },
      ]);
    });

    it("costs the same statements for a page of stories however many it holds", async () => {
      await storyWithPhotos({ publish: true });
      const statementsFor = async (first: number) => {
        const before = api.statements.length;
        const page = ok(await api.graphql(StoriesJsonLdDocument, { first }));
        expect(page.stories.edges).toHaveLength(first);
        for (const { node } of page.stories.edges) expect(node.jsonLd["@type"]).toBe("NewsArticle");
        return api.statements.length - before;
      };
      const two = await statementsFor(2);
      const four = await statementsFor(4);
      expect(four).toBe(two);
      // The page, and one each for placements, bylines and correction notes.
      expect(two).toBeLessThanOrEqual(4);
    });
  });
});

describe("ninjs through the public response cache", () => {
  const INVALIDATION_WAIT_MS = 60_000;
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApiOn>>;
  let seeded: { slug: string; storyId: string };
  const { sink, lines: logLines } = collectLogLines();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApiOn(
      database,
      { ...PUBLICATION, RESPONSE_CACHE: "on", RESPONSE_CACHE_MAX_AGE: "3600", RESPONSE_CACHE_KEEP_SECONDS: "3600" },
      sink,
    );
    await waitUntil(
      () => logLines.some((line) => line.msg === "response cache listening for changes"),
      "the server to listen for changes",
      INVALIDATION_WAIT_MS,
    );
    // The seed's notification arrives when it will: an answer begun before it would not be stored.
    seeded = await api.seedApStory();
    await waitUntil(
      () =>
        logLines.some(
          (line) => line.msg === "response cache invalidated" && (line.stories === "all" || line.stories.includes(seeded.storyId)),
        ),
      "the cache to hear of the seed",
      INVALIDATION_WAIT_MS,
    );
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it("serves a public answer from the cache until the story changes; staff answers are never stored", async () => {
    const first = await getNinjs(api, seeded.slug);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("cache-control")).toMatch(/^public, max-age=3600/);
    expect(first.headers.get("surrogate-key")).toBe(`story-${seeded.storyId}`);
    const statementsBefore = api.statements.length;
    const second = await getNinjs(api, seeded.slug);
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(api.statements.length).toBe(statementsBefore);
    expect(second.body).toEqual(first.body);

    const editor = (await api.tokenFor("EDITOR")).token;
    const staff = await getNinjs(api, seeded.slug, editor);
    expect(staff.headers.get("x-cache")).toBeNull();
    expect(staff.headers.get("cache-control")).toBe("private, no-store");

    const invalidations = () => logLines.filter((line) => line.msg === "response cache invalidated").length;
    const before = invalidations();
    const input = {
      headline: "Iraq weighs deeper military ties with Russia",
      correction: { kind: "CORRECTION" as const, text: "Headline." },
    };
    ok(await api.graphql(UpdateStoryDocument, { id: seeded.storyId, v: 1, input }, editor));
    await waitUntil(() => invalidations() > before, "the invalidation of the story", INVALIDATION_WAIT_MS);
    const fresh = await getNinjs(api, seeded.slug);
    expect(fresh.headers.get("x-cache")).toBe("MISS");
    expect(fresh.body.headlines[0].value).toBe("Iraq weighs deeper military ties with Russia");
    expectValidNinjs(fresh.body);
  });
});
