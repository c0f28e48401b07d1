import { describe, expect, it } from "vitest";
import { assertReadyToPublish, publishBlockers, type PublishFacts } from "../../src/stories/publish.rules.js";
import { appErrorOf } from "../support/app-error.js";

type AttributionFacts = PublishFacts["attributions"][number];

const approved = new Date("2026-01-02T03:04:05Z");
const named = { id: "src-named", kind: "PERSON" as const, anonymousDescription: null, anonymityReason: null, anonymityApprovedAt: null };
const anonymous = (id: string, facts: Partial<AttributionFacts["source"]> = {}): AttributionFacts["source"] => ({
  id,
  kind: "ANONYMOUS",
  anonymousDescription: "a senior official",
  anonymityReason: "not authorized to speak",
  anonymityApprovedAt: approved,
  ...facts,
});
const attribution = (id: string, source: AttributionFacts["source"], facts: Partial<AttributionFacts> = {}): AttributionFacts => ({
  id,
  confirmed: true,
  quote: "words",
  paragraphPosition: 0,
  source,
  ...facts,
});
const story = (facts: Partial<PublishFacts> = {}): PublishFacts => ({
  headline: "Headline",
  paragraphCount: 3,
  photos: [{ position: 0, caption: "Caption", credit: "AP Photo" }],
  attributions: [],
  ...facts,
});

describe("publish blockers", () => {
  it("are none for a story with a headline, a body, captioned and credited photos, approved sources and confirmed attributions", () => {
    const ready = story({ attributions: [attribution("a1", named), attribution("a2", anonymous("src-anon"))] });
    expect(publishBlockers(ready)).toEqual([]);
    expect(() => assertReadyToPublish(ready)).not.toThrow();
  });

  it("name each missing piece of the story, with its field", () => {
    const blockers = publishBlockers(story({ headline: " ", paragraphCount: 0, photos: [{ position: 1, caption: null, credit: " " }] }));
    expect(blockers.map(({ kind, field }) => [kind, field])).toEqual([
      ["HEADLINE_MISSING", "headline"],
      ["BODY_MISSING", "paragraphs"],
      ["PHOTO_CAPTION_MISSING", "photos[1].caption"],
      ["PHOTO_CREDIT_MISSING", "photos[1].credit"],
    ]);
    expect(blockers[2]!.message).toBe("Photo 2 has no caption");
  });

  it("name an unapproved anonymous source once, however many attributions rely on it", () => {
    const source = anonymous("src-anon", { anonymityApprovedAt: null });
    const blockers = publishBlockers(
      story({ attributions: [attribution("a1", source), attribution("a2", source, { paragraphPosition: 4 })] }),
    );
    expect(blockers).toEqual([
      {
        kind: "ANONYMOUS_SOURCE_UNAPPROVED",
        message: 'The anonymous source "a senior official" is not approved: an editor must approve its anonymity (approveAnonymousSource)',
        field: null,
        sourceId: "src-anon",
        attributionId: null,
      },
    ]);
  });

  it("name an anonymous source whose reason is not stated, and its approval, apart", () => {
    const blockers = publishBlockers(
      story({ attributions: [attribution("a1", anonymous("src-anon", { anonymityReason: "  ", anonymityApprovedAt: null }))] }),
    );
    expect(blockers.map(({ kind, sourceId }) => [kind, sourceId])).toEqual([
      ["ANONYMITY_REASON_MISSING", "src-anon"],
      ["ANONYMOUS_SOURCE_UNAPPROVED", "src-anon"],
    ]);
  });

  it("hold named sources to no approval", () => {
    expect(publishBlockers(story({ attributions: [attribution("a1", named)] }))).toEqual([]);
  });

  it("name each unconfirmed attribution, with its paragraph and words, and its source", () => {
    const long = "x".repeat(80);
    const blockers = publishBlockers(
      story({
        attributions: [
          attribution("a1", named, { confirmed: false, paragraphPosition: 2, quote: "We will rebuild" }),
          attribution("a2", named),
          attribution("a3", named, { confirmed: false, quote: long }),
          attribution("a4", named, { confirmed: false, quote: null }),
        ],
      }),
    );
    expect(blockers.map(({ kind, attributionId, sourceId }) => [kind, attributionId, sourceId])).toEqual([
      ["ATTRIBUTION_UNCONFIRMED", "a1", "src-named"],
      ["ATTRIBUTION_UNCONFIRMED", "a3", "src-named"],
      ["ATTRIBUTION_UNCONFIRMED", "a4", "src-named"],
    ]);
    expect(blockers[0]!.message).toMatch(/^The attribution in paragraph 3 \("We will rebuild"\) was proposed by the importer/);
    expect(blockers[1]!.message).toContain(`("${"x".repeat(60)}…")`);
    expect(blockers[2]!.message).toMatch(/^The attribution in paragraph 1 was proposed/);
  });

  it("count an unconfirmed attribution to an unapproved anonymous source as two blockers: the source, then the attribution", () => {
    const source = anonymous("src-anon", { anonymityApprovedAt: null });
    const blockers = publishBlockers(story({ attributions: [attribution("a1", source, { confirmed: false })] }));
    expect(blockers.map(({ kind }) => kind)).toEqual(["ANONYMOUS_SOURCE_UNAPPROVED", "ATTRIBUTION_UNCONFIRMED"]);
  });

  it("refuse publication with every blocker in the error, on the first blocker's field or the story's id", () => {
    const source = anonymous("src-anon", { anonymityApprovedAt: null });
    const error = appErrorOf(() => assertReadyToPublish(story({ attributions: [attribution("a1", source, { confirmed: false })] })));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe("id");
    expect(error.details?.reason).toBe("NOT_READY_TO_PUBLISH");
    expect((error.details?.blockers as { kind: string }[]).map((each) => each.kind)).toEqual([
      "ANONYMOUS_SOURCE_UNAPPROVED",
      "ATTRIBUTION_UNCONFIRMED",
    ]);
    expect(error.message).toMatch(
      /^The story cannot be published: The anonymous source "a senior official" is not approved.*; The attribution/,
    );
    expect(appErrorOf(() => assertReadyToPublish(story({ headline: "" }))).field).toBe("headline");
  });
});
