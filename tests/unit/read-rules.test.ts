import { describe, expect, it } from "vitest";
import { readableAttributionsOfStoryWhere, readableAttributionsWhere } from "../../src/attributions/attribution.rules.js";
import { readablePhotosWhere, readablePlacementsWhere } from "../../src/photos/photo.rules.js";
import { readableIdentityKeepersWhere, readableSourcesWhere, sourcesNamedWhere } from "../../src/sources/source.rules.js";
import {
  inReadableStoryWhere,
  readableHistoryWhere,
  readableParagraphsWhere,
  readableStoriesSql,
  readableStoriesWhere,
} from "../../src/stories/story.rules.js";
import type { Staff, Viewer } from "../../src/users/users.rules.js";

const reporter: Staff = { id: "r1", name: "Rita Reporter", role: "REPORTER" };
const editor: Staff = { id: "e1", name: "Eddie Editor", role: "EDITOR" };
const staff: Viewer[] = [reporter, editor];
const publicStories = { story: { status: "PUBLISHED" } };

describe("what a viewer may read", () => {
  it("stories: the public published ones, staff all", () => {
    expect(readableStoriesWhere(null)).toEqual({ status: "PUBLISHED" });
    for (const viewer of staff) expect(readableStoriesWhere(viewer)).toEqual({});
  });

  it("stories in the search SQL: the same rule, over the alias the query names", () => {
    const forPublic = readableStoriesSql(null, "s");
    expect({ text: forPublic.text, values: forPublic.values }).toEqual({ text: `s."status" = $1`, values: ["PUBLISHED"] });
    for (const viewer of staff) expect(readableStoriesSql(viewer, "s").text).toBe("TRUE");
  });

  it("rows of a story: those of a story the viewer may read, with no join for staff", () => {
    expect(inReadableStoryWhere(null)).toEqual(publicStories);
    for (const viewer of staff) expect(inReadableStoryWhere(viewer)).toEqual({});
  });

  it("paragraphs: those of readable stories", () => {
    expect(readableParagraphsWhere(null)).toEqual(publicStories);
    for (const viewer of staff) expect(readableParagraphsWhere(viewer)).toEqual({});
  });

  it("placements of photos: those in readable stories", () => {
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

  it("attributions anywhere: for the public, confirmed ones in published stories", () => {
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
