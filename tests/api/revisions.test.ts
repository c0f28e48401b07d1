import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateSourceDocument,
  CreateStoryDocument,
  MoveParagraphDocument,
  AddAttributionDocument,
  PublicStoryWithCorrectionsDocument,
  PublishStoryDocument,
  RestoreStoryRevisionDocument,
  StoryDiffDocument,
  StoryHistoryDocument,
  StoryRevisionDocument,
  StoryRevisionsDocument,
  UpdateSourceDocument,
  UpdateStoryDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

describe("revisions, corrections and bylines, over HTTP", () => {
  let api: TestApi;
  let reporter: string;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    reporter = (await api.tokenFor("REPORTER", "Rita Reporter")).token;
    editor = (await api.tokenFor("EDITOR", "Ed Editor")).token;
  });
  afterAll(() => api?.close());

  const BODY = ["The council approved the budget on Tuesday.", "The vote was 7-2.", "Spending rises by 3 percent."];

  /** A story written by the reporter and published by the editor: version 2. */
  async function publishedStory(headline: string) {
    const draft = ok(await api.graphql(CreateStoryDocument, { input: { headline, paragraphs: BODY } }, reporter)).createStory.story!;
    const published = ok(await api.graphql(PublishStoryDocument, { id: draft.id, v: draft.version }, editor)).step.story!;
    return { ...draft, version: published.version };
  }

  const counts = async (storyId: string) => ({
    revisions: await api.prisma.storyRevision.count({ where: { storyId } }),
    events: await api.prisma.storyEvent.count({ where: { storyId } }),
    corrections: await api.prisma.correction.count({ where: { storyId } }),
  });

  it("keeps a revision of every version, with who made it and what the story printed", async () => {
    const story = await publishedStory("Council approves budget");
    const { revisions } = ok(await api.graphql(StoryRevisionsDocument, { id: story.id }, editor)).story!;
    expect(revisions!.totalCount).toBe(2);
    expect(revisions!.edges.map(({ node }) => [node.version, node.action, node.author?.name])).toEqual([
      [2, "PUBLISHED", "Ed Editor"],
      [1, "CREATED", "Rita Reporter"],
    ]);
    const first = revisions!.edges[1]!.node;
    expect(first.headline).toBe("Council approves budget");
    expect(first.paragraphs.map((p) => p.text)).toEqual(BODY);
    expect(first.bylines).toEqual([{ name: "Rita Reporter" }]);
    // The public reads what is printed now, never the record of every version.
    expect(ok(await api.graphql(StoryRevisionsDocument, { id: story.id })).story?.revisions).toBeNull();
    expect(failure(await api.graphql(StoryDiffDocument, { id: story.id, from: 1, to: 2 })).code).toBe("UNAUTHENTICATED");
  });

  it("refuses a change to a published story's text without a correction or a minor edit, writing nothing", async () => {
    const story = await publishedStory("Budget passes");
    const before = await counts(story.id);
    const error = failure(
      await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { headline: "Budget passes narrowly" } }, editor),
    );
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.correction" });
    expect(error.extensions.reason).toBe("CORRECTION_REQUIRED");
    expect(await counts(story.id)).toEqual(before);
    expect(await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ headline: "Budget passes", version: 2 });
    // A change that prints no different words needs no note.
    ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { headline: "Budget passes" } }, editor));
  });

  it("prints a correction with the new text, and the diff of the two revisions shows the words that changed", async () => {
    const story = await publishedStory("Council votes on spending");
    const corrected = ["The council approved the budget on Wednesday.", BODY[1]!, BODY[2]!];
    const correction = {
      kind: "CORRECTION" as const,
      text: "An earlier version of this story gave the wrong day of the vote. It was Wednesday.",
    };
    const updated = ok(
      await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { paragraphs: corrected, correction } }, editor),
    ).updateStory.story!;
    expect(updated.version).toBe(3);

    const printed = ok(await api.graphql(PublicStoryWithCorrectionsDocument, { slug: story.slug })).story!;
    expect(printed.paragraphs.map((p) => p.text)).toEqual(corrected);
    expect(printed.corrections).toEqual([{ ...correction, version: 3, createdAt: expect.any(String) }]);

    const diff = ok(await api.graphql(StoryDiffDocument, { id: story.id, from: 2, to: 3 }, reporter)).storyDiff;
    expect(diff.fields).toEqual([]);
    expect(diff.paragraphs).toHaveLength(1);
    const [changed] = diff.paragraphs;
    expect(changed).toMatchObject({ paragraphId: story.paragraphs[0]!.id, change: "CHANGED", before: BODY[0], after: corrected[0] });
    expect(changed!.words.filter((word) => word.change !== "UNCHANGED")).toEqual([
      { change: "REMOVED", text: "Tuesday" },
      { change: "ADDED", text: "Wednesday" },
    ]);
  });

  it("takes a minor edit with its reason, recorded for staff and not printed", async () => {
    const story = await publishedStory("Budgte approved");
    const reason = "Typo in the headline";
    ok(
      await api.graphql(
        UpdateStoryDocument,
        { id: story.id, v: story.version, input: { headline: "Budget approved", minorEditReason: reason } },
        editor,
      ),
    );
    const latest = ok(await api.graphql(StoryRevisionsDocument, { id: story.id, first: 1 }, editor)).story!.revisions!.edges[0]!.node;
    expect(latest).toMatchObject({ version: 3, action: "UPDATED", minorEditReason: reason, headline: "Budget approved" });
    expect(ok(await api.graphql(PublicStoryWithCorrectionsDocument, { slug: story.slug })).story!.corrections).toEqual([]);
    const diff = ok(await api.graphql(StoryDiffDocument, { id: story.id, from: 2, to: 3 }, editor)).storyDiff;
    expect(diff.fields).toEqual([{ field: "headline", before: "Budgte approved", after: "Budget approved" }]);
  });

  it("refuses a correction and a minor edit together, and a correction of a story never published", async () => {
    const story = await publishedStory("Both notes");
    const both = failure(
      await api.graphql(
        UpdateStoryDocument,
        {
          id: story.id,
          v: story.version,
          input: { headline: "Both notes, again", minorEditReason: "typo", correction: { kind: "CORRECTION", text: "Wrong." } },
        },
        editor,
      ),
    );
    expect(both).toMatchObject({ code: "BAD_USER_INPUT", field: "input.minorEditReason" });
    const draft = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Never out" } }, reporter)).createStory.story!;
    const unprinted = failure(
      await api.graphql(
        UpdateStoryDocument,
        { id: draft.id, v: 1, input: { headline: "Never out yet", correction: { kind: "CORRECTION", text: "Nothing to correct." } } },
        reporter,
      ),
    );
    expect(unprinted).toMatchObject({ code: "BAD_USER_INPUT", field: "input.correction" });
    expect(unprinted.extensions.reason).toBe("NOTHING_PRINTED");
  });

  it("names paragraphs added, removed and moved between two revisions by their stable ids", async () => {
    const draft = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Order of business", paragraphs: BODY } }, reporter))
      .createStory.story!;
    const [a, b, c] = draft.paragraphs.map((p) => p.id);
    // Replacing the body keeps ids by position: the first paragraph keeps its id with new text.
    ok(await api.graphql(UpdateStoryDocument, { id: draft.id, v: 1, input: { paragraphs: [BODY[0]!, BODY[1]!] } }, reporter));
    const removed = ok(await api.graphql(StoryDiffDocument, { id: draft.id, from: 1, to: 2 }, reporter)).storyDiff.paragraphs;
    expect(removed.map((p) => [p.paragraphId, p.change, p.fromPosition, p.toPosition])).toEqual([[c, "REMOVED", 2, null]]);
    ok(
      await api.graphql(
        UpdateStoryDocument,
        { id: draft.id, v: 2, input: { paragraphs: [...BODY.slice(0, 2), "A new closing line."] } },
        reporter,
      ),
    );
    const added = ok(await api.graphql(StoryDiffDocument, { id: draft.id, from: 2, to: 3 }, reporter)).storyDiff.paragraphs;
    expect(added.map((p) => [p.change, p.after])).toEqual([["ADDED", "A new closing line."]]);
    // Restoring version 1 brings back paragraph c under its own id.
    ok(await api.graphql(RestoreStoryRevisionDocument, { id: draft.id, v: 3, version: 1 }, reporter));
    const back = ok(await api.graphql(StoryRevisionDocument, { id: draft.id, version: 4 }, reporter)).story!.revision!;
    expect(back.paragraphs.map((p) => p.id)).toEqual([a, b, c]);
    // A move is a move of that paragraph, not a change of every paragraph it passed.
    ok(await api.graphql(MoveParagraphDocument, { input: { paragraphId: c!, expectedVersion: 4, toPosition: 0 } }, reporter));
    const moved = ok(await api.graphql(StoryDiffDocument, { id: draft.id, from: 4, to: 5 }, reporter)).storyDiff.paragraphs;
    expect(moved.map((p) => [p.paragraphId, p.change, p.fromPosition, p.toPosition])).toEqual([[c, "MOVED", 2, 0]]);
  });

  it("restores an earlier revision as a new one equal to it, leaving history as it was", async () => {
    const source = ok(
      await api.graphql(CreateSourceDocument, { input: { name: "Mara Quill", kind: "PERSON", title: "Treasurer" } }, reporter),
    ).createSource.source!;
    const draft = ok(
      await api.graphql(
        CreateStoryDocument,
        { input: { headline: "Treasurer warns", paragraphs: ["“Reserves are thin,” Treasurer Mara Quill said.", "More to come."] } },
        reporter,
      ),
    ).createStory.story!;
    ok(
      await api.graphql(
        AddAttributionDocument,
        {
          input: {
            storyId: draft.id,
            sourceId: source.id,
            paragraphId: draft.paragraphs[0]!.id,
            kind: "DIRECT_QUOTE",
            quote: "“Reserves are thin,”",
          },
        },
        reporter,
      ),
    );
    const published = ok(await api.graphql(PublishStoryDocument, { id: draft.id, v: 2 }, editor)).step.story!;
    const original = ok(await api.graphql(StoryRevisionDocument, { id: draft.id, version: published.version }, editor)).story!.revision!;
    // The desk rewrites it, dropping the quote, then thinks better of it.
    const rewritten = ok(
      await api.graphql(
        UpdateStoryDocument,
        {
          id: draft.id,
          v: published.version,
          input: { headline: "Treasurer sounds alarm", minorEditReason: "Sharper headline" },
        },
        editor,
      ),
    ).updateStory.story!;
    const refused = failure(
      await api.graphql(RestoreStoryRevisionDocument, { id: draft.id, v: rewritten.version, version: published.version }, editor),
    );
    expect(refused).toMatchObject({ code: "BAD_USER_INPUT", field: "correction" });
    const restored = ok(
      await api.graphql(
        RestoreStoryRevisionDocument,
        { id: draft.id, v: rewritten.version, version: published.version, minorEditReason: "Back to the headline as published" },
        editor,
      ),
    ).restoreStoryRevision.story!;
    expect(restored.version).toBe(rewritten.version + 1);
    const again = ok(await api.graphql(StoryRevisionDocument, { id: draft.id, version: restored.version }, editor)).story!.revision!;
    expect({ ...again, version: original.version, action: original.action }).toEqual(original);
    expect(again.action).toBe("REVISION_RESTORED");
    // The versions in between are still there, unchanged.
    const between = ok(await api.graphql(StoryRevisionDocument, { id: draft.id, version: rewritten.version }, editor)).story!.revision!;
    expect(between.headline).toBe("Treasurer sounds alarm");
    expect(
      failure(await api.graphql(RestoreStoryRevisionDocument, { id: draft.id, v: restored.version, version: 99 }, editor)),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "version",
    });
    // The database itself refuses to rewrite a revision.
    await expect(api.prisma.storyRevision.updateMany({ where: { storyId: draft.id }, data: { action: "FORGED" } })).rejects.toThrow();
  });

  it("lets exactly one of 50 edits made on the same version through, with one new revision", async () => {
    const story = await publishedStory("Fifty desks");
    const before = await counts(story.id);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.graphql(
          UpdateStoryDocument,
          { id: story.id, v: story.version, input: { summary: `Summary ${i}`, minorEditReason: "Summary added" } },
          editor,
        ),
      ),
    );
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.filter((result) => result.errors?.[0]?.extensions?.code === "CONFLICT")).toHaveLength(49);
    expect(await counts(story.id)).toEqual({ ...before, revisions: before.revisions + 1, events: before.events + 1 });
  });

  it("makes a revision of every story that quotes a source when the source changes", async () => {
    const source = ok(await api.graphql(CreateSourceDocument, { input: { name: "Lee Ortiz", kind: "PERSON" } }, editor)).createSource
      .source!;
    const draft = ok(
      await api.graphql(CreateStoryDocument, { input: { headline: "Ortiz speaks", paragraphs: ["Ortiz said the plan works."] } }, editor),
    ).createStory.story!;
    ok(
      await api.graphql(
        AddAttributionDocument,
        {
          input: {
            storyId: draft.id,
            sourceId: source.id,
            paragraphId: draft.paragraphs[0]!.id,
            kind: "PARAPHRASE",
            quote: "the plan works",
          },
        },
        editor,
      ),
    );
    ok(await api.graphql(UpdateSourceDocument, { id: source.id, input: { name: "Lee Ortiz-Vega" } }, editor));
    const history = ok(await api.graphql(StoryHistoryDocument, { id: draft.id }, editor)).story!.history!;
    expect(history.map((event) => [event.action, event.version])).toEqual([
      ["SOURCE_UPDATED", 3],
      ["ATTRIBUTION_ADDED", 2],
      ["CREATED", 1],
    ]);
    const revision = ok(await api.graphql(StoryRevisionDocument, { id: draft.id, version: 3 }, editor)).story!.revision!;
    expect(revision.attributions.map((attribution) => attribution.source.name)).toEqual(["Lee Ortiz-Vega"]);
  });

  it("prints bylines for everyone, and who they name for staff only", async () => {
    const story = await publishedStory("Bylined");
    const reporterId = (await api.prisma.user.findFirstOrThrow({ where: { name: "Rita Reporter" } })).id;
    const publicView = ok(await api.graphql(PublicStoryWithCorrectionsDocument, { slug: story.slug })).story!;
    expect(publicView.bylines).toEqual([{ name: "Rita Reporter", title: null, affiliation: null, user: null }]);
    const staffView = ok(await api.graphql(PublicStoryWithCorrectionsDocument, { slug: story.slug }, editor)).story!;
    expect(staffView.bylines[0]?.user).toEqual({ name: "Rita Reporter" });
    const bylines = [
      { name: "Rita Reporter", title: "City Hall reporter", userId: reporterId },
      { name: "Sam Stringer", affiliation: "Special to the Gazette" },
    ];
    const refused = failure(await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { bylines } }, editor));
    expect(refused.extensions.reason).toBe("CORRECTION_REQUIRED");
    ok(
      await api.graphql(
        UpdateStoryDocument,
        {
          id: story.id,
          v: story.version,
          input: { bylines, correction: { kind: "EDITORS_NOTE", text: "Sam Stringer contributed reporting." } },
        },
        editor,
      ),
    );
    expect(ok(await api.graphql(PublicStoryWithCorrectionsDocument, { slug: story.slug })).story!.bylines).toEqual([
      { name: "Rita Reporter", title: "City Hall reporter", affiliation: null, user: null },
      { name: "Sam Stringer", title: null, affiliation: "Special to the Gazette", user: null },
    ]);
  });
});
