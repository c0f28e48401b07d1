import { describe, expect, it } from "vitest";
import { loadConfig, type PublicationConfig } from "../../src/config.js";
import { authorOf, correctionCommentOf, imageOf, toNewsArticle } from "../../src/syndication/jsonld.rules.js";
import { htmlBody, ninjsPubStatus, renditionsOf, toNinjs } from "../../src/syndication/ninjs.rules.js";
import {
  isAgencyByline,
  joinNames,
  type PhotoFacts,
  type PlacementFacts,
  type StoryFacts,
  type SyndicatedStory,
} from "../../src/syndication/syndication.rules.js";

const publication: PublicationConfig = {
  baseUrl: "https://news.example.org",
  publisherName: "Example News",
  publisherLogoUrl: null,
  language: "en-GB",
};

const story: StoryFacts = {
  id: "0193a000-0000-7000-8000-000000000001",
  slug: "council-votes",
  headline: "Council votes",
  summary: null,
  dateline: "SPRINGFIELD, Ill.",
  credit: "AP",
  status: "PUBLISHED",
  version: 4,
  createdAt: new Date("2026-12-01T08:00:00.000Z"),
  updatedAt: new Date("2026-12-01T09:30:00.000Z"),
  publishedAt: new Date("2026-12-01T09:00:00.000Z"),
  firstPublishedAt: new Date("2026-12-01T08:45:00.000Z"),
  embargoedUntil: null,
};

/** ninjs is made at a time, which decides whether an embargo is still ahead. */
const NOW = new Date("2026-12-01T10:00:00.000Z");
const ninjsOptions = { ...publication, now: NOW };

const photo: PhotoFacts = {
  id: "0193a000-0000-7000-8000-0000000000a1",
  url: null,
  caption: "The photo's own caption.",
  credit: "AP Photo/Jane Doe",
  takenAt: null,
  location: null,
  altText: null,
  updatedAt: new Date("2026-12-01T07:00:00.000Z"),
};

const facts = (overrides: Partial<SyndicatedStory> = {}): SyndicatedStory => ({
  story,
  paragraphs: [{ text: "The council voted." }],
  placements: [],
  bylines: [],
  corrections: [],
  ...overrides,
});

describe("the HTML body", () => {
  it("escapes what HTML would read as markup, one paragraph element each", () => {
    expect(htmlBody([`Tom & Jerry's <script>alert("x")</script>`, "Second."])).toBe(
      "<p>Tom &amp; Jerry&#39;s &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>\n<p>Second.</p>",
    );
  });

  it("keeps typography and non-Latin text as it is", () => {
    expect(htmlBody(["“Quoted” — dashes… and Ünïcödé, بغداد"])).toBe("<p>“Quoted” — dashes… and Ünïcödé, بغداد</p>");
  });

  it("prints the dateline and credit before the lede, in both bodies", () => {
    const { bodies } = toNinjs(facts({ paragraphs: [{ text: "A & B." }, { text: "C." }] }), ninjsOptions);
    expect(bodies!.map((body) => body.value)).toEqual([
      "SPRINGFIELD, Ill. (AP) — A & B.\n\nC.",
      "<p>SPRINGFIELD, Ill. (AP) — A &amp; B.</p>\n<p>C.</p>",
    ]);
    expect(bodies![0]).toMatchObject({ charCount: 35, wordCount: 8 });
  });

  it("is left out of a story with no paragraphs", () => {
    expect(toNinjs(facts({ paragraphs: [] }), ninjsOptions).bodies).toBeUndefined();
  });
});

describe("bylines", () => {
  it("read as a byline reads names", () => {
    expect(joinNames([])).toBe("");
    expect(joinNames(["A"])).toBe("A");
    expect(joinNames(["A", "B"])).toBe("A and B");
    expect(joinNames(["A", "B", "C"])).toBe("A, B and C");
  });

  it("become by, people for persons, and organisations for the agency the story credits", () => {
    const item = toNinjs(
      facts({
        bylines: [
          { name: "Jane Doe", title: "Reporter", affiliation: "Example News" },
          { name: "John Roe", title: null, affiliation: null },
          { name: "ap", title: null, affiliation: null },
        ],
      }),
      ninjsOptions,
    );
    expect(item.by).toBe("Jane Doe, John Roe and ap");
    expect(item.people).toEqual([
      { name: "Jane Doe", rel: "author" },
      { name: "John Roe", rel: "author" },
    ]);
    expect(item.organisations).toEqual([{ name: "ap", rel: "author" }]);
    expect(item.infoSources).toEqual([{ name: "AP", role: "originfo" }]);
  });

  it("name the agency only when the story credits it", () => {
    expect(isAgencyByline({ name: " AP ", title: null, affiliation: null }, { credit: "AP" })).toBe(true);
    expect(isAgencyByline({ name: "AP", title: null, affiliation: null }, { credit: null })).toBe(false);
    expect(isAgencyByline({ name: "Reuters", title: null, affiliation: null }, { credit: "AP" })).toBe(false);
  });

  it("become Persons with their title and affiliation, or the agency as an Organization", () => {
    expect(authorOf({ name: "Jane Doe", title: "Reporter", affiliation: "Example News" }, story)).toEqual({
      "@type": "Person",
      name: "Jane Doe",
      jobTitle: "Reporter",
      affiliation: { "@type": "Organization", name: "Example News" },
    });
    expect(JSON.parse(JSON.stringify(authorOf({ name: "John Roe", title: null, affiliation: null }, story)))).toEqual({
      "@type": "Person",
      name: "John Roe",
    });
    expect(authorOf({ name: "AP", title: null, affiliation: null }, story)).toEqual({ "@type": "Organization", name: "AP" });
  });
});

describe("ninjs", () => {
  it("identifies the story by its id under the public base URL, at its version, usable", () => {
    const item = toNinjs(facts(), ninjsOptions);
    expect(item).toMatchObject({
      uri: `https://news.example.org/stories/${story.id}`,
      type: "text",
      version: "4",
      firstCreated: "2026-12-01T08:00:00.000Z",
      versionCreated: "2026-12-01T09:30:00.000Z",
      pubStatus: "usable",
      language: "en-GB",
      located: "SPRINGFIELD, Ill.",
    });
    expect(ninjsPubStatus(story, NOW)).toBe("usable");
  });

  it("withholds an item while its embargo is ahead, and cancels a killed one with no body or pictures", () => {
    const embargoedUntil = new Date("2026-12-01T12:00:00.000Z");
    expect(ninjsPubStatus({ ...story, embargoedUntil }, NOW)).toBe("withheld");
    expect(ninjsPubStatus({ ...story, embargoedUntil }, new Date("2026-12-01T12:00:00.001Z"))).toBe("usable");
    const withheld = toNinjs(facts({ story: { ...story, embargoedUntil } }), ninjsOptions);
    expect(withheld).toMatchObject({ pubStatus: "withheld", embargoedUntil: "2026-12-01T12:00:00.000Z" });
    expect(withheld.bodies).toHaveLength(2);

    const placed = { position: 0, role: "LEAD" as const, caption: null, photo };
    const canceled = toNinjs(facts({ story: { ...story, status: "KILLED" }, placements: [placed] }), ninjsOptions);
    expect(canceled.pubStatus).toBe("canceled");
    expect(canceled.bodies).toBeUndefined();
    expect(canceled.associations).toBeUndefined();
    expect(canceled.embargoedUntil).toBeUndefined();
  });

  it("gives a photo's stored renditions, or its url as the one rendition, or none", () => {
    expect(renditionsOf(photo)).toEqual([]);
    expect(renditionsOf({ ...photo, url: "https://images.example.org/a.jpg" })).toEqual([
      { name: "original", href: "https://images.example.org/a.jpg" },
    ]);
    const stored = [
      {
        name: "w640-webp",
        href: "https://news.example.org/media/a-640.webp",
        width: 640,
        height: 427,
        contentType: "image/webp",
        sizeInBytes: 41_000,
      },
      {
        name: "w1280-jpeg",
        href: "https://news.example.org/media/a-1280.jpg",
        width: null,
        height: null,
        contentType: null,
        sizeInBytes: null,
      },
    ];
    expect(renditionsOf({ ...photo, url: "https://images.example.org/a.jpg", renditions: stored })).toEqual([
      stored[0],
      { name: "w1280-jpeg", href: "https://news.example.org/media/a-1280.jpg" },
    ]);
  });

  it("gives a placed photo the caption this story prints, and its credit as the copyright notice", () => {
    const placements: PlacementFacts[] = [
      { position: 0, role: "LEAD", caption: null, photo },
      { position: 1, role: "INLINE", caption: "This story's caption.", photo: { ...photo, id: "0193a000-0000-7000-8000-0000000000a2" } },
    ];
    const [lead, inline] = toNinjs(facts({ placements }), ninjsOptions).associations!;
    expect(lead).toEqual({
      name: "leadPicture",
      uri: `https://news.example.org/photos/${photo.id}`,
      type: "picture",
      versionCreated: "2026-12-01T07:00:00.000Z",
      descriptions: [{ role: "caption", contentType: "text/plain", value: "The photo's own caption." }],
      copyrightNotice: "AP Photo/Jane Doe",
    });
    expect(inline).toMatchObject({ name: "picture2", descriptions: [{ role: "caption", value: "This story's caption." }] });
  });

  it("prints the summary and each correction note as descriptions, by kind", () => {
    const corrections = [
      { kind: "RETRACTION" as const, text: "Retracted.", createdAt: new Date(), version: 6 },
      { kind: "EDITORS_NOTE" as const, text: "Note.", createdAt: new Date(), version: 5 },
    ];
    expect(toNinjs(facts({ story: { ...story, summary: "In short." }, corrections }), ninjsOptions).descriptions).toEqual([
      { role: "summary", contentType: "text/plain", value: "In short." },
      { role: "retraction", contentType: "text/plain", value: "Retracted." },
      { role: "editorsNote", contentType: "text/plain", value: "Note." },
    ]);
  });
});

describe("schema.org NewsArticle", () => {
  it("makes a correction note a CorrectionComment dated when it was printed", () => {
    const createdAt = new Date("2026-12-01T10:00:00.000Z");
    expect(correctionCommentOf({ kind: "CORRECTION", text: "The vote was 7-2.", createdAt, version: 3 })).toEqual({
      "@type": "CorrectionComment",
      text: "The vote was 7-2.",
      datePublished: "2026-12-01T10:00:00.000Z",
    });
  });

  it("dates the article from its first publication, and leaves out what the story does not have", () => {
    const article = JSON.parse(JSON.stringify(toNewsArticle(facts(), publication)));
    expect(article).toEqual({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      "@id": `https://news.example.org/stories/${story.id}`,
      headline: "Council votes",
      dateline: "SPRINGFIELD, Ill.",
      datePublished: "2026-12-01T08:45:00.000Z",
      dateModified: "2026-12-01T09:30:00.000Z",
      inLanguage: "en-GB",
      publisher: { "@type": "Organization", name: "Example News", url: "https://news.example.org" },
    });
    const draft = toNewsArticle(facts({ story: { ...story, publishedAt: null, firstPublishedAt: null } }), publication);
    expect(draft.datePublished).toBeUndefined();
  });

  it("puts the lead photo first among the images, each with caption, credit and notice", () => {
    const placements: PlacementFacts[] = [
      { position: 0, role: "INLINE", caption: null, photo: { ...photo, url: "https://images.example.org/a.jpg" } },
      { position: 1, role: "LEAD", caption: "The lead.", photo },
    ];
    const article = toNewsArticle(facts({ placements }), publication);
    expect(JSON.parse(JSON.stringify(article.image))).toEqual([
      { "@type": "ImageObject", caption: "The lead.", creditText: "AP Photo/Jane Doe", copyrightNotice: "AP Photo/Jane Doe" },
      {
        "@type": "ImageObject",
        url: "https://images.example.org/a.jpg",
        contentUrl: "https://images.example.org/a.jpg",
        caption: "The photo's own caption.",
        creditText: "AP Photo/Jane Doe",
        copyrightNotice: "AP Photo/Jane Doe",
      },
    ]);
    expect(imageOf({ position: 0, role: "LEAD", caption: null, photo: { ...photo, caption: null, credit: null } })).toMatchObject({
      caption: undefined,
      creditText: undefined,
    });
  });
});

describe("the publisher's settings", () => {
  it("default to a developer's machine, and take a newsroom's own", () => {
    expect(loadConfig({}).publication).toEqual({
      baseUrl: "http://localhost:4000",
      publisherName: "Newsroom",
      publisherLogoUrl: null,
      language: "en",
    });
    const env = {
      PUBLIC_BASE_URL: "https://news.example.org/",
      PUBLISHER_NAME: " Example News ",
      PUBLISHER_LOGO_URL: "https://news.example.org/logo.png",
      CONTENT_LANGUAGE: "en-US",
    };
    expect(loadConfig(env).publication).toEqual({
      baseUrl: "https://news.example.org",
      publisherName: "Example News",
      publisherLogoUrl: "https://news.example.org/logo.png",
      language: "en-US",
    });
  });

  it("refuse what is not a URL or a language tag, naming the setting", () => {
    expect(() => loadConfig({ PUBLIC_BASE_URL: "news.example.org" })).toThrow(/PUBLIC_BASE_URL must be an absolute http\(s\) URL/);
    expect(() => loadConfig({ PUBLISHER_LOGO_URL: "ftp://example.org/logo.png" })).toThrow(/PUBLISHER_LOGO_URL/);
    expect(() => loadConfig({ CONTENT_LANGUAGE: "English" })).toThrow(/CONTENT_LANGUAGE must be an IETF language tag/);
  });
});
