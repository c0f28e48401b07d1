import { describe, expect, it } from "vitest";
import { readableAttributionsOfStoryWhere, readableAttributionsWhere } from "../../src/attributions/attribution.rules.js";
import { readablePhotosWhere, readablePlacementsWhere } from "../../src/photos/photo.rules.js";
import { readableIdentityKeepersWhere, readableSourcesWhere, sourcesNamedWhere } from "../../src/sources/source.rules.js";
import {
  inReadableBodyWhere,
  mayReadBody,
  readableBodiesWhere,
  readableBodyOfStoryWhere,
  readableHistoryWhere,
  readableKillNoticesWhere,
  readableParagraphsWhere,
  readableStoriesSql,
  readableStoriesWhere,
  searchableDocumentSql,
} from "../../src/stories/story.rules.js";
import type { Staff, Viewer } from "../../src/users/users.rules.js";

const reporter: Staff = { id: "r1", name: "Rita Reporter", role: "REPORTER" };
const editor: Staff = { id: "e1", name: "Eddie Editor", role: "EDITOR" };
const staff: Viewer[] = [reporter, editor];
/** The rules take the time they are read at; the read paths pass none and get the present. */
const now = new Date("2026-12-01T12:00:00.000Z");
const publicReadable = { status: "PUBLISHED", OR: [{ embargoedUntil: null }, { embargoedUntil: { lte: expect.any(Date) } }] };
const publicStories = { story: { ...publicReadable, retractedAt: null } };

describe("what a viewer may read", () => {
  it("stories: the public published ones whose embargo has lifted (or that have none), staff all", () => {
    expect(readableStoriesWhere(null, now)).toEqual({
      status: "PUBLISHED",
      OR: [{ embargoedUntil: null }, { embargoedUntil: { lte: now } }],
    });
    expect(readableStoriesWhere(null)).toEqual(publicReadable);
    for (const viewer of staff) expect(readableStoriesWhere(viewer, now)).toEqual({});
  });

  it("stories in the search SQL: the same rule, over the alias the query names", () => {
    const forPublic = readableStoriesSql(null, "s", now);
    expect({ text: forPublic.text, values: forPublic.values }).toEqual({
      text: `(s."status" = $1 AND (s."embargoed_until" IS NULL OR s."embargoed_until" <= $2))`,
      values: ["PUBLISHED", now],
    });
    for (const viewer of staff) expect(readableStoriesSql(viewer, "s", now).text).toBe("TRUE");
  });

  it("a story's body: not the public's once the story is retracted; the headline and the rest stay", () => {
    expect(readableBodyOfStoryWhere(null)).toEqual({ retractedAt: null });
    expect(readableBodiesWhere(null, now)).toEqual({ ...readableStoriesWhere(null, now), retractedAt: null });
    expect([mayReadBody(null, { retractedAt: null }), mayReadBody(null, { retractedAt: now })]).toEqual([true, false]);
    for (const viewer of staff) {
      expect(readableBodyOfStoryWhere(viewer)).toEqual({});
      expect(readableBodiesWhere(viewer, now)).toEqual({});
      expect(mayReadBody(viewer, { retractedAt: now })).toBe(true);
    }
  });

  it("what a search matches: for the public, a retracted story's headline alone (weight A of the document)", () => {
    const forPublic = searchableDocumentSql(null, "s");
    expect(forPublic.text).toBe(`CASE WHEN s."retracted_at" IS NULL THEN s.search_vector ELSE ts_filter(s.search_vector, '{a}') END`);
    for (const viewer of staff) expect(searchableDocumentSql(viewer, "s").text).toBe("s.search_vector");
  });

  it("rows of a story's body: those of a story whose body the viewer may read, with no join for staff", () => {
    expect(inReadableBodyWhere(null, now)).toEqual({ story: readableBodiesWhere(null, now) });
    expect(inReadableBodyWhere(null)).toEqual(publicStories);
    for (const viewer of staff) expect(inReadableBodyWhere(viewer)).toEqual({});
  });

  it("kill notices: for the public, of stories once published; staff every killed story's", () => {
    expect(readableKillNoticesWhere(null)).toEqual({ status: "KILLED", firstPublishedAt: { not: null } });
    for (const viewer of staff) expect(readableKillNoticesWhere(viewer)).toEqual({ status: "KILLED" });
  });

  it("paragraphs: those of readable bodies", () => {
    expect(readableParagraphsWhere(null)).toEqual(publicStories);
    for (const viewer of staff) expect(readableParagraphsWhere(viewer)).toEqual({});
  });

  it("placements of photos: those in readable bodies", () => {
    expect(readablePlacementsWhere(null)).toEqual(publicStories);
    for (const viewer of staff) expect(readablePlacementsWhere(viewer)).toEqual({});
  });

  it("photos: for the public, only those a readable story shows", () => {
    expect(readablePhotosWhere(null)).toEqual({ stories: { some: publicStories } });
    for (const viewer of staff) expect(readablePhotosWhere(viewer)).toEqual({});
  });

  it("attributions of a readable story: for the public, only confirmed ones", () => {
    expect(readableAttributionsOfStoryWhere(null)).toEqual({ confirmed: true });
    for (const viewer of staff) expect(readableAttributionsOfStoryWhere(viewer)).toEqual({});
  });

  it("attributions anywhere: for the public, confirmed ones in the bodies of published, unembargoed, unretracted stories", () => {
    expect(readableAttributionsWhere(null)).toEqual({ confirmed: true, ...publicStories });
    for (const viewer of staff) expect(readableAttributionsWhere(viewer)).toEqual({});
  });

  it("sources: for the public, only those a readable attribution names", () => {
    expect(readableSourcesWhere(null)).toEqual({ attributions: { some: { confirmed: true, ...publicStories } } });
    for (const viewer of staff) expect(readableSourcesWhere(viewer)).toEqual({});
  });

  it("sources found by name: never, by the public, by an anonymous source's internal label", () => {
    const contains = { contains: "50\\%", mode: "insensitive" };
    const byDescription = { kind: "ANONYMOUS", anonymousDescription: contains };
    expect(sourcesNamedWhere(null, "50%")).toEqual({ OR: [{ kind: { not: "ANONYMOUS" }, name: contains }, byDescription] });
    for (const viewer of staff) expect(sourcesNamedWhere(viewer, "50%")).toEqual({ OR: [{ name: contains }, byDescription] });
  });

  it("who knows an anonymous source: staff only", () => {
    expect(readableIdentityKeepersWhere(null)).toBeNull();
    for (const viewer of staff) expect(readableIdentityKeepersWhere(viewer)).toEqual({});
  });

  it("history: staff only", () => {
    expect(readableHistoryWhere(null)).toBeNull();
    for (const viewer of staff) expect(readableHistoryWhere(viewer)).toEqual({});
  });
});
