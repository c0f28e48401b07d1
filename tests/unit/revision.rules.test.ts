import { describe, expect, it } from "vitest";
import { assertEditorialNote, diffFields, diffParagraphs, printedWordsDiffer, type PrintedStory } from "../../src/audit/revision.rules.js";
import { appErrorOf } from "../support/app-error.js";

const story = (paragraphs: [string, string][], overrides: Partial<PrintedStory> = {}): PrintedStory => ({
  headline: "Headline",
  summary: null,
  dateline: "SPRINGFIELD",
  credit: null,
  bylines: [],
  paragraphs: paragraphs.map(([id, text]) => ({ id, text })),
  photos: [],
  attributions: [],
  ...overrides,
});

describe("diffParagraphs", () => {
  const base = story([
    ["a", "One."],
    ["b", "Two."],
    ["c", "Three."],
    ["d", "Four."],
  ]);

  it("leaves out paragraphs that neither changed nor moved", () => {
    expect(diffParagraphs(base, base)).toEqual([]);
  });

  it("tells an added and a removed paragraph from the ones they shift", () => {
    const after = story([
      ["new", "Zero."],
      ["a", "One."],
      ["c", "Three."],
      ["d", "Four."],
    ]);
    expect(diffParagraphs(base, after).map((p) => [p.paragraphId, p.change])).toEqual([
      ["new", "ADDED"],
      ["b", "REMOVED"],
    ]);
  });

  it("calls only the paragraph taken elsewhere MOVED, not those it passed", () => {
    const after = story([
      ["d", "Four."],
      ["a", "One."],
      ["b", "Two."],
      ["c", "Three."],
    ]);
    expect(diffParagraphs(base, after).map((p) => [p.paragraphId, p.change, p.fromPosition, p.toPosition])).toEqual([["d", "MOVED", 3, 0]]);
  });

  it("gives a changed paragraph its words, removed and added among the unchanged", () => {
    const after = story([
      ["a", "One."],
      ["b", "Two and a half."],
      ["c", "Three."],
      ["d", "Four."],
    ]);
    const [changed] = diffParagraphs(base, after);
    expect(changed).toMatchObject({ paragraphId: "b", change: "CHANGED", before: "Two.", after: "Two and a half." });
    expect(changed!.words.map((word) => word.change)).toContain("ADDED");
    expect(changed!.words.map((word) => word.text).join("")).not.toBe("");
  });

  it("lists the story's own fields that changed", () => {
    expect(diffFields(base, { ...base, headline: "New headline" })).toEqual([
      expect.objectContaining({ field: "headline", before: "Headline", after: "New headline" }),
    ]);
  });
});

describe("printed words", () => {
  it("change with text, bylines and captions, not with who an attribution names", () => {
    const base = story([["a", "One."]]);
    expect(printedWordsDiffer(base, { ...base, headline: "Other" })).toBe(true);
    expect(printedWordsDiffer(base, { ...base, bylines: [{ name: "Jo", title: null, affiliation: null, userId: null }] })).toBe(true);
    const attributed = {
      ...base,
      attributions: [
        {
          id: "x",
          sourceId: "s",
          source: { name: "New name", title: null, affiliation: null },
          paragraphId: "a",
          kind: "PARAPHRASE" as const,
          quote: null,
          method: null,
        },
      ],
    };
    expect(printedWordsDiffer(base, attributed)).toBe(false);
  });
});

describe("assertEditorialNote", () => {
  const note = (fields: Parameters<typeof assertEditorialNote>[0]["note"]) => fields;

  it("lets any change through before a story is first published", () => {
    expect(() => assertEditorialNote({ everPublished: false, wordsChanged: true, note: undefined }, "input")).not.toThrow();
  });

  it("asks a published story's changed words for a correction or a minor edit", () => {
    const error = appErrorOf(() => assertEditorialNote({ everPublished: true, wordsChanged: true, note: undefined }, "input"));
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.correction", details: { reason: "CORRECTION_REQUIRED" } });
    expect(() =>
      assertEditorialNote({ everPublished: true, wordsChanged: true, note: note({ minorEditReason: "typo" }) }, "input"),
    ).not.toThrow();
    expect(() =>
      assertEditorialNote(
        { everPublished: true, wordsChanged: true, note: note({ correction: { kind: "CORRECTION", text: "Fixed." } }) },
        "",
      ),
    ).not.toThrow();
    expect(() => assertEditorialNote({ everPublished: true, wordsChanged: false, note: undefined }, "input")).not.toThrow();
  });

  it("refuses both notes at once, a blank note, and a correction of nothing printed, naming the argument", () => {
    const both = note({ correction: { kind: "CORRECTION", text: "x" }, minorEditReason: "y" });
    expect(appErrorOf(() => assertEditorialNote({ everPublished: true, wordsChanged: true, note: both }, "")).field).toBe(
      "minorEditReason",
    );
    const blank = note({ correction: { kind: "CLARIFICATION", text: "  " } });
    expect(appErrorOf(() => assertEditorialNote({ everPublished: true, wordsChanged: true, note: blank }, "input")).field).toBe(
      "input.correction.text",
    );
    const early = note({ correction: { kind: "CORRECTION", text: "x" } });
    expect(appErrorOf(() => assertEditorialNote({ everPublished: false, wordsChanged: true, note: early }, "input")).details).toEqual({
      reason: "NOTHING_PRINTED",
    });
  });
});
