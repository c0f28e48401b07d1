import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddAttributionDocument,
  AddParagraphDocument,
  AddTwoParagraphsDocument,
  AttachPhotoDocument,
  ConfirmAttributionDocument,
  CreatePhotoDocument,
  CreateSourceDocument,
  CreateStoryDocument,
  DetachPhotoDocument,
  MergeSourcesDocument,
  MoveParagraphDocument,
  MovePhotoDocument,
  PhotoWithStoriesDocument,
  RemoveAttributionDocument,
  RemoveParagraphDocument,
  SourceWithAttributionsDocument,
  StoryContentsDocument,
  StoryHistoryDocument,
  UpdateAttributionDocument,
  UpdateParagraphDocument,
  UpdatePhotoDocument,
  UpdateSourceDocument,
  UpdateStoryDocument,
  UpdateStoryPhotoDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

describe("editing a story's body, quotes, sources and photos, over HTTP", () => {
  let api: TestApi;
  let reporter: string;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    reporter = (await api.tokenFor("REPORTER")).token;
    editor = (await api.tokenFor("EDITOR")).token;
  });
  afterAll(() => api?.close());

  /** The story as its reporter reads it back: body, photos as placed, and where each quote is anchored. */
  const contents = async (id: string) => ok(await api.graphql(StoryContentsDocument, { id }, reporter)).story!;

  async function storyWithQuote() {
    const story = ok(
      await api.graphql(
        CreateStoryDocument,
        {
          input: {
            headline: "Mayor opens bridge",
            paragraphs: ["The bridge opened Monday.", `“It is a great day,” said Mayor Dana Alvarez.`, "Traffic resumed."],
          },
        },
        reporter,
      ),
    ).createStory.story!;
    expect(story.paragraphs).toHaveLength(3);
    const [lede, quoted, last] = story.paragraphs.map((p) => p.id);
    const paragraphIds = [lede!, quoted!, last!] as const;
    const source = ok(
      await api.graphql(CreateSourceDocument, { input: { name: "Dana Alvarez", kind: "PERSON", title: "Mayor" } }, reporter),
    ).createSource.source!;
    expect(source.isAnonymous).toBe(false);
    const attribution = ok(
      await api.graphql(
        AddAttributionDocument,
        {
          input: {
            storyId: story.id,
            sourceId: source.id,
            paragraphId: paragraphIds[1],
            kind: "DIRECT_QUOTE",
            quote: `"It is a great day,"`,
          },
        },
        reporter,
      ),
    ).addAttribution.attribution!;
    expect(attribution).toMatchObject({
      kind: "DIRECT_QUOTE",
      confirmed: true,
      source: { name: "Dana Alvarez" },
      paragraph: { id: paragraphIds[1] },
    });
    // An attribution is part of what the story shows, so adding one made a new version.
    expect(attribution.story?.version).toBe(2);
    return { storyId: story.id, paragraphIds, sourceId: source.id, attributionId: attribution.id, version: attribution.story!.version };
  }

  it("accepts a quote whose marks differ from the paragraph's, but refuses changed words with nothing written", async () => {
    const { storyId, paragraphIds, sourceId } = await storyWithQuote();
    const before = await api.prisma.attribution.count();
    const error = failure(
      await api.graphql(
        AddAttributionDocument,
        { input: { storyId, sourceId, paragraphId: paragraphIds[1], kind: "DIRECT_QUOTE", quote: "It is a wonderful day" } },
        reporter,
      ),
    );
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.quote" });
    expect(error.message).toMatch(/verbatim/);
    expect(await api.prisma.attribution.count()).toBe(before);
  });

  it("adds, moves and edits paragraphs while quotes stay anchored to theirs", async () => {
    const { storyId, paragraphIds, attributionId, version } = await storyWithQuote();
    const added = ok(
      await api.graphql(AddParagraphDocument, { input: { storyId, expectedVersion: version, text: "NEW LEDE", position: 0 } }, reporter),
    ).addParagraph.story!;
    expect(added.version).toBe(version + 1);
    expect(added.paragraphs.map((p) => p.text)).toEqual([
      "NEW LEDE",
      "The bridge opened Monday.",
      `“It is a great day,” said Mayor Dana Alvarez.`,
      "Traffic resumed.",
    ]);
    expect(added.paragraphs.slice(1).map((p) => p.id)).toEqual(paragraphIds);

    ok(
      await api.graphql(
        MoveParagraphDocument,
        { input: { paragraphId: paragraphIds[1], expectedVersion: version + 1, toPosition: 99 } },
        reporter,
      ),
    );
    ok(
      await api.graphql(
        UpdateParagraphDocument,
        {
          input: {
            paragraphId: paragraphIds[1],
            expectedVersion: version + 2,
            text: `“It is a great day,” Mayor Dana Alvarez said at the ribbon cutting.`,
          },
        },
        reporter,
      ),
    );

    const story = await contents(storyId);
    expect(story.version).toBe(version + 3);
    expect(story.paragraphs.map((p) => [p.position, p.id])).toEqual([
      [0, added.paragraphs[0]?.id],
      [1, paragraphIds[0]],
      [2, paragraphIds[2]],
      [3, paragraphIds[1]],
    ]);
    expect(story.attributions).toEqual([{ id: attributionId, quote: `"It is a great day,"`, paragraph: { id: paragraphIds[1] } }]);
  });

  it("refuses an edit that would break a direct quote, and removing its paragraph, changing nothing", async () => {
    const { storyId, paragraphIds, version } = await storyWithQuote();
    const broken = failure(
      await api.graphql(
        UpdateParagraphDocument,
        { input: { paragraphId: paragraphIds[1], expectedVersion: version, text: "The mayor was pleased." } },
        reporter,
      ),
    );
    expect(broken).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
    const removal = failure(
      await api.graphql(RemoveParagraphDocument, { input: { paragraphId: paragraphIds[1], expectedVersion: version } }, reporter),
    );
    expect(removal.code).toBe("CONFLICT");
    expect(removal.extensions.reason).toBe("PARAGRAPH_HAS_ATTRIBUTIONS");
    const replaced = failure(
      await api.graphql(UpdateStoryDocument, { id: storyId, v: version, input: { paragraphs: ["Only one paragraph now."] } }, reporter),
    );
    expect(replaced.code).toBe("CONFLICT");
    const story = await contents(storyId);
    expect(story.version).toBe(version);
    expect(story.paragraphs.map((p) => p.id)).toEqual(paragraphIds);
    expect(story.paragraphs[1]?.text).toBe(`“It is a great day,” said Mayor Dana Alvarez.`);
  });

  it("answers each of several edits in one request with the story as that edit left it", async () => {
    const story = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Two edits", paragraphs: ["One."] } }, reporter))
      .createStory.story!;
    const edits = ok(
      await api.graphql(
        AddTwoParagraphsDocument,
        {
          first: { storyId: story.id, expectedVersion: 1, text: "Two." },
          second: { storyId: story.id, expectedVersion: 2, text: "Three." },
        },
        reporter,
      ),
    );
    expect(edits.first.story?.paragraphs.map((p) => p.text)).toEqual(["One.", "Two."]);
    expect(edits.second.story?.paragraphs.map((p) => p.text)).toEqual(["One.", "Two.", "Three."]);
  });

  it("removes a paragraph without anchors and renumbers the rest", async () => {
    const { storyId, paragraphIds, version } = await storyWithQuote();
    ok(await api.graphql(RemoveParagraphDocument, { input: { paragraphId: paragraphIds[0], expectedVersion: version } }, reporter));
    const story = await contents(storyId);
    expect(story.paragraphs.map((p) => [p.position, p.id])).toEqual([
      [0, paragraphIds[1]],
      [1, paragraphIds[2]],
    ]);
  });

  it("keeps the database itself from storing a quote that is not in its paragraph", async () => {
    const { storyId, paragraphIds, sourceId } = await storyWithQuote();
    const before = await api.prisma.attribution.count();
    await expect(
      api.prisma.attribution.create({
        data: { storyId, sourceId, paragraphId: paragraphIds[0], kind: "DIRECT_QUOTE", quote: "words nobody said" },
      }),
    ).rejects.toThrow(/verbatim/);
    await expect(
      api.prisma.attribution.create({ data: { storyId, sourceId, paragraphId: paragraphIds[0], kind: "DIRECT_QUOTE", quote: "   " } }),
    ).rejects.toThrow(/verbatim/);
    await expect(api.prisma.paragraph.update({ where: { id: paragraphIds[1] }, data: { text: "Quote removed." } })).rejects.toThrow(
      /verbatim/,
    );
    expect(await api.prisma.attribution.count()).toBe(before);
    expect((await api.prisma.paragraph.findUniqueOrThrow({ where: { id: paragraphIds[1] } })).text).toContain("great day");
  });

  it("updates and removes attributions; confirming is an editor's call", async () => {
    const { attributionId, paragraphIds } = await storyWithQuote();
    const updated = ok(
      await api.graphql(
        UpdateAttributionDocument,
        { id: attributionId, input: { kind: "PARAPHRASE", quote: "The mayor called it a great day", paragraphId: paragraphIds[0] } },
        reporter,
      ),
    ).updateAttribution.attribution;
    expect(updated).toMatchObject({ kind: "PARAPHRASE", quote: "The mayor called it a great day", paragraph: { id: paragraphIds[0] } });
    expect(failure(await api.graphql(ConfirmAttributionDocument, { id: attributionId }, reporter)).code).toBe("FORBIDDEN");
    expect(ok(await api.graphql(ConfirmAttributionDocument, { id: attributionId }, editor)).confirmAttribution.attribution?.confirmed).toBe(
      true,
    );
    expect(ok(await api.graphql(RemoveAttributionDocument, { id: attributionId }, reporter)).removeAttribution.removedAttributionId).toBe(
      attributionId,
    );
    expect(await api.prisma.attribution.count({ where: { id: attributionId } })).toBe(0);
  });

  it("keeps anonymous sources anonymous: reason required, description shown to the public", async () => {
    const missing = failure(
      await api.graphql(
        CreateSourceDocument,
        { input: { name: "Ministry insider", kind: "ANONYMOUS", anonymousDescription: "an official at the ministry" } },
        reporter,
      ),
    );
    expect(missing).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
    const contradicting = failure(
      await api.graphql(CreateSourceDocument, { input: { name: "Someone", kind: "PERSON", isAnonymous: true } }, reporter),
    );
    expect(contradicting).toMatchObject({ code: "BAD_USER_INPUT", field: "input.isAnonymous" });
    const source = ok(
      await api.graphql(
        CreateSourceDocument,
        {
          input: {
            name: "Ministry insider (desk label)",
            kind: "ANONYMOUS",
            isAnonymous: true,
            anonymousDescription: "an official at the ministry",
            anonymityReason: "Not authorized to speak publicly",
            terms: "NOT_FOR_ATTRIBUTION",
          },
        },
        reporter,
      ),
    ).createSource.source!;
    expect(source).toMatchObject({
      name: "Ministry insider (desk label)",
      isAnonymous: true,
      anonymityReason: "Not authorized to speak publicly",
    });
    // Not yet in a published story: the public cannot see it at all.
    expect(ok(await api.graphql(SourceWithAttributionsDocument, { id: source.id })).source).toBeNull();

    const keeper = await api.tokenFor("EDITOR", "Kim Keeper");
    const known = ok(await api.graphql(UpdateSourceDocument, { id: source.id, input: { identityKnownBy: [keeper.userId] } }, reporter))
      .updateSource.source;
    expect(known?.identityKnownBy).toEqual([{ name: "Kim Keeper" }]);
    const stranger = failure(
      await api.graphql(
        UpdateSourceDocument,
        { id: source.id, input: { identityKnownBy: ["0190a5c4-0000-7000-8000-00000000beef"] } },
        reporter,
      ),
    );
    expect(stranger).toMatchObject({ code: "BAD_USER_INPUT", field: "input.identityKnownBy" });
    const named = failure(
      await api.graphql(
        CreateSourceDocument,
        { input: { name: "Named Person", kind: "PERSON", identityKnownBy: [keeper.userId] } },
        reporter,
      ),
    );
    expect(named).toMatchObject({ code: "BAD_USER_INPUT", field: "input.identityKnownBy" });
  });

  it("merges a duplicate source into the one kept, moving its attributions", async () => {
    const { sourceId, attributionId } = await storyWithQuote();
    const duplicate = ok(await api.graphql(CreateSourceDocument, { input: { name: "D. Alvarez", kind: "PERSON" } }, reporter)).createSource
      .source!;
    await api.prisma.attribution.update({ where: { id: attributionId }, data: { sourceId: duplicate.id } });
    const merge = { input: { keepId: sourceId, mergeId: duplicate.id } };
    expect(failure(await api.graphql(MergeSourcesDocument, merge, reporter)).code).toBe("FORBIDDEN");
    const kept = ok(await api.graphql(MergeSourcesDocument, merge, editor)).mergeSources.source;
    expect(kept).toEqual({ id: sourceId, attributions: [{ id: attributionId }] });
    expect(await api.prisma.source.count({ where: { id: duplicate.id } })).toBe(0);
    ok(await api.graphql(UpdateSourceDocument, { id: sourceId, input: { title: "Mayor of Springfield" } }, editor));
    const storyId = (await api.prisma.attribution.findUniqueOrThrow({ where: { id: attributionId } })).storyId;
    const history = ok(await api.graphql(StoryHistoryDocument, { id: storyId, first: 2 }, editor)).story!.history!;
    expect(history.map((event) => event.action)).toEqual(["SOURCE_UPDATED", "SOURCE_MERGED"]);
  });

  it("places photos, captions them per story or for the photo, reorders and detaches them", async () => {
    const { storyId, version } = await storyWithQuote();
    const first = ok(
      await api.graphql(
        CreatePhotoDocument,
        {
          input: {
            url: "https://images.example/a.jpg",
            caption: "The new bridge at dawn.",
            credit: "AP Photo/Jo Lens",
            takenAt: "2026-11-20T06:30:00Z",
          },
        },
        reporter,
      ),
    ).createPhoto.photo!;
    expect(first).toMatchObject({ takenAt: "2026-11-20T06:30:00.000Z", isFilePhoto: false });
    const second = ok(
      await api.graphql(
        CreatePhotoDocument,
        { input: { caption: "FILE - The old ferry in 1998.", credit: "AP Photo", isFilePhoto: true } },
        reporter,
      ),
    ).createPhoto.photo!;
    ok(await api.graphql(AttachPhotoDocument, { input: { storyId, expectedVersion: version, photoId: first.id } }, reporter));
    ok(
      await api.graphql(
        AttachPhotoDocument,
        { input: { storyId, expectedVersion: version + 1, photoId: second.id, caption: "The ferry the bridge replaces." } },
        reporter,
      ),
    );
    expect(
      failure(await api.graphql(AttachPhotoDocument, { input: { storyId, expectedVersion: version + 2, photoId: first.id } }, reporter))
        .code,
    ).toBe("CONFLICT");

    let story = await contents(storyId);
    expect(story.photos.map((p) => [p.position, p.role, p.caption, p.storyCaption, p.credit])).toEqual([
      [0, "LEAD", "The new bridge at dawn.", null, "AP Photo/Jo Lens"],
      [1, "INLINE", "The ferry the bridge replaces.", "The ferry the bridge replaces.", "AP Photo"],
    ]);

    const ferry = story.photos[1]!;
    ok(await api.graphql(MovePhotoDocument, { input: { storyPhotoId: ferry.id, expectedVersion: version + 2, toPosition: 0 } }, reporter));
    ok(await api.graphql(UpdatePhotoDocument, { id: first.id, input: { caption: "The bridge at dawn, Monday." } }, reporter));
    // The photo's own caption prints in this story too: changing it made a new version of the story.
    ok(
      await api.graphql(
        UpdateStoryPhotoDocument,
        { input: { storyPhotoId: ferry.id, expectedVersion: version + 4, caption: null } },
        reporter,
      ),
    );
    story = await contents(storyId);
    expect(story.photos.map((p) => [p.photo.id, p.caption])).toEqual([
      [second.id, "FILE - The old ferry in 1998."],
      [first.id, "The bridge at dawn, Monday."],
    ]);
    ok(await api.graphql(DetachPhotoDocument, { input: { storyPhotoId: story.photos[0]!.id, expectedVersion: version + 5 } }, reporter));
    story = await contents(storyId);
    expect(story.photos.map((p) => [p.position, p.photo.id])).toEqual([[0, first.id]]);
    expect(ok(await api.graphql(PhotoWithStoriesDocument, { id: first.id })).photo).toBeNull();
  });

  it("keeps concurrent edits of one attribution, and records each change in the story's history", async () => {
    const { storyId, attributionId } = await storyWithQuote();
    await Promise.all([
      api.graphql(
        UpdateAttributionDocument,
        { id: attributionId, input: { kind: "PARAPHRASE", quote: "The mayor called it a great day" } },
        reporter,
      ),
      api.graphql(UpdateAttributionDocument, { id: attributionId, input: { method: "INTERVIEW" } }, reporter),
    ]);
    expect(await api.prisma.attribution.findUniqueOrThrow({ where: { id: attributionId } })).toMatchObject({
      kind: "PARAPHRASE",
      quote: "The mayor called it a great day",
      method: "INTERVIEW",
    });
    ok(await api.graphql(ConfirmAttributionDocument, { id: attributionId }, editor));
    ok(await api.graphql(RemoveAttributionDocument, { id: attributionId }, reporter));
    const history = ok(await api.graphql(StoryHistoryDocument, { id: storyId }, reporter)).story!.history!;
    expect(history.map((event) => event.action).reverse()).toEqual([
      "CREATED",
      "ATTRIBUTION_ADDED",
      "ATTRIBUTION_UPDATED",
      "ATTRIBUTION_UPDATED",
      "ATTRIBUTION_CONFIRMED",
      "ATTRIBUTION_REMOVED",
    ]);
    // Each change to an attribution is a change to the story: a version of its own.
    expect(history.map((event) => event.version).reverse()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("lets only someone who may edit every story using a photo change it, and records it there", async () => {
    const { storyId, version } = await storyWithQuote();
    const photo = ok(await api.graphql(CreatePhotoDocument, { input: { caption: "Bridge.", credit: "AP Photo" } }, reporter)).createPhoto
      .photo!;
    ok(await api.graphql(AttachPhotoDocument, { input: { storyId, expectedVersion: version, photoId: photo.id } }, reporter));
    const other = (await api.tokenFor("REPORTER")).token;
    const vandalism = failure(
      await api.graphql(UpdatePhotoDocument, { id: photo.id, input: { caption: "Vandalised", credit: "" } }, other),
    );
    expect(vandalism.code).toBe("FORBIDDEN");
    expect(await api.prisma.photo.findUniqueOrThrow({ where: { id: photo.id } })).toMatchObject({ caption: "Bridge.", credit: "AP Photo" });
    ok(await api.graphql(UpdatePhotoDocument, { id: photo.id, input: { caption: "The bridge." } }, editor));
    const history = ok(await api.graphql(StoryHistoryDocument, { id: storyId }, reporter)).story?.history;
    expect(history?.[0]?.action).toBe("PHOTO_EDITED");
  });

  it("refuses an empty or foreign paragraph id for a photo's anchor with the field named", async () => {
    const { storyId, version } = await storyWithQuote();
    const photo = ok(await api.graphql(CreatePhotoDocument, { input: { caption: "Bridge.", credit: "AP Photo" } }, reporter)).createPhoto
      .photo!;
    for (const paragraphId of ["", "not-a-uuid", "0190a5c4-0000-7000-8000-00000000dead"]) {
      const error = failure(
        await api.graphql(AttachPhotoDocument, { input: { storyId, expectedVersion: version, photoId: photo.id, paragraphId } }, reporter),
      );
      expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.paragraphId" });
    }
  });
});
