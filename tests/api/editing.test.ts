import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

const STORY = `query($id: ID!) { story(id: $id) { version paragraphs { id position text } attributions { id quote paragraph { id } } photos { id position role caption storyCaption credit photo { id caption } } } }`;

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

  async function storyWithQuote() {
    const story = ok(
      await api.rawGraphql(
        `mutation($input: CreateStoryInput!) { createStory(input: $input) { story { id paragraphs { id } } } }`,
        {
          input: {
            headline: "Mayor opens bridge",
            paragraphs: ["The bridge opened Monday.", `“It is a great day,” said Mayor Dana Alvarez.`, "Traffic resumed."],
          },
        },
        reporter,
      ),
    ).createStory.story;
    const source = ok(
      await api.rawGraphql(
        `mutation { createSource(input: { name: "Dana Alvarez", kind: PERSON, title: "Mayor" }) { source { id isAnonymous } } }`,
        {},
        reporter,
      ),
    ).createSource.source;
    expect(source.isAnonymous).toBe(false);
    const attribution = ok(
      await api.rawGraphql(
        `mutation($input: AddAttributionInput!) { addAttribution(input: $input) { attribution { id kind quote confirmed source { name } paragraph { id } } } }`,
        {
          input: {
            storyId: story.id,
            sourceId: source.id,
            paragraphId: story.paragraphs[1].id,
            kind: "DIRECT_QUOTE",
            quote: `"It is a great day,"`,
          },
        },
        reporter,
      ),
    ).addAttribution.attribution;
    expect(attribution).toMatchObject({
      kind: "DIRECT_QUOTE",
      confirmed: true,
      source: { name: "Dana Alvarez" },
      paragraph: { id: story.paragraphs[1].id },
    });
    return {
      storyId: story.id as string,
      paragraphIds: story.paragraphs.map((p: any) => p.id) as string[],
      sourceId: source.id as string,
      attributionId: attribution.id as string,
    };
  }

  it("accepts a quote whose marks differ from the paragraph's, but refuses changed words with nothing written", async () => {
    const { storyId, paragraphIds, sourceId } = await storyWithQuote();
    const before = await api.prisma.attribution.count();
    const error = failure(
      await api.rawGraphql(
        `mutation($input: AddAttributionInput!) { addAttribution(input: $input) { attribution { id } } }`,
        { input: { storyId, sourceId, paragraphId: paragraphIds[1], kind: "DIRECT_QUOTE", quote: "It is a wonderful day" } },
        reporter,
      ),
    );
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.quote" });
    expect(error.message).toMatch(/verbatim/);
    expect(await api.prisma.attribution.count()).toBe(before);
  });

  it("adds, moves and edits paragraphs while quotes stay anchored to theirs", async () => {
    const { storyId, paragraphIds, attributionId } = await storyWithQuote();
    const added = ok(
      await api.rawGraphql(
        `mutation($input: AddParagraphInput!) { addParagraph(input: $input) { story { version paragraphs { id text } } } }`,
        { input: { storyId, expectedVersion: 1, text: "NEW LEDE", position: 0 } },
        reporter,
      ),
    ).addParagraph.story;
    expect(added.version).toBe(2);
    expect(added.paragraphs.map((p: any) => p.text)).toEqual([
      "NEW LEDE",
      "The bridge opened Monday.",
      `“It is a great day,” said Mayor Dana Alvarez.`,
      "Traffic resumed.",
    ]);
    expect(added.paragraphs.slice(1).map((p: any) => p.id)).toEqual(paragraphIds);

    ok(
      await api.rawGraphql(
        `mutation($input: MoveParagraphInput!) { moveParagraph(input: $input) { story { version } } }`,
        { input: { paragraphId: paragraphIds[1], expectedVersion: 2, toPosition: 99 } },
        reporter,
      ),
    );
    ok(
      await api.rawGraphql(
        `mutation($input: UpdateParagraphInput!) { updateParagraph(input: $input) { story { version } } }`,
        {
          input: {
            paragraphId: paragraphIds[1],
            expectedVersion: 3,
            text: `“It is a great day,” Mayor Dana Alvarez said at the ribbon cutting.`,
          },
        },
        reporter,
      ),
    );

    const story = ok(await api.rawGraphql(STORY, { id: storyId }, reporter)).story;
    expect(story.version).toBe(4);
    expect(story.paragraphs.map((p: any) => [p.position, p.id])).toEqual([
      [0, added.paragraphs[0].id],
      [1, paragraphIds[0]],
      [2, paragraphIds[2]],
      [3, paragraphIds[1]],
    ]);
    expect(story.attributions).toEqual([{ id: attributionId, quote: `"It is a great day,"`, paragraph: { id: paragraphIds[1] } }]);
  });

  it("refuses an edit that would break a direct quote, and removing its paragraph, changing nothing", async () => {
    const { storyId, paragraphIds } = await storyWithQuote();
    const broken = failure(
      await api.rawGraphql(
        `mutation($input: UpdateParagraphInput!) { updateParagraph(input: $input) { story { version } } }`,
        { input: { paragraphId: paragraphIds[1], expectedVersion: 1, text: "The mayor was pleased." } },
        reporter,
      ),
    );
    expect(broken).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
    const removal = failure(
      await api.rawGraphql(
        `mutation($input: RemoveParagraphInput!) { removeParagraph(input: $input) { story { version } } }`,
        { input: { paragraphId: paragraphIds[1], expectedVersion: 1 } },
        reporter,
      ),
    );
    expect(removal.code).toBe("CONFLICT");
    expect(removal.extensions.reason).toBe("PARAGRAPH_HAS_ATTRIBUTIONS");
    const replaced = failure(
      await api.rawGraphql(
        `mutation($id: ID!, $input: UpdateStoryInput!) { updateStory(id: $id, expectedVersion: 1, input: $input) { story { version } } }`,
        { id: storyId, input: { paragraphs: ["Only one paragraph now."] } },
        reporter,
      ),
    );
    expect(replaced.code).toBe("CONFLICT");
    const story = ok(await api.rawGraphql(STORY, { id: storyId }, reporter)).story;
    expect(story.version).toBe(1);
    expect(story.paragraphs.map((p: any) => p.id)).toEqual(paragraphIds);
    expect(story.paragraphs[1].text).toBe(`“It is a great day,” said Mayor Dana Alvarez.`);
  });

  it("removes a paragraph without anchors and renumbers the rest", async () => {
    const { storyId, paragraphIds } = await storyWithQuote();
    ok(
      await api.rawGraphql(
        `mutation($input: RemoveParagraphInput!) { removeParagraph(input: $input) { story { version } } }`,
        { input: { paragraphId: paragraphIds[0], expectedVersion: 1 } },
        reporter,
      ),
    );
    const story = ok(await api.rawGraphql(STORY, { id: storyId }, reporter)).story;
    expect(story.paragraphs.map((p: any) => [p.position, p.id])).toEqual([
      [0, paragraphIds[1]],
      [1, paragraphIds[2]],
    ]);
  });

  it("keeps the database itself from storing a quote that is not in its paragraph", async () => {
    const { storyId, paragraphIds, sourceId } = await storyWithQuote();
    const before = await api.prisma.attribution.count();
    await expect(
      api.prisma.attribution.create({
        data: { storyId, sourceId, paragraphId: paragraphIds[0]!, kind: "DIRECT_QUOTE", quote: "words nobody said" },
      }),
    ).rejects.toThrow(/verbatim/);
    await expect(
      api.prisma.attribution.create({ data: { storyId, sourceId, paragraphId: paragraphIds[0]!, kind: "DIRECT_QUOTE", quote: "   " } }),
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
      await api.rawGraphql(
        `mutation($id: ID!, $input: UpdateAttributionInput!) { updateAttribution(id: $id, input: $input) { attribution { kind quote paragraph { id } } } }`,
        { id: attributionId, input: { kind: "PARAPHRASE", quote: "The mayor called it a great day", paragraphId: paragraphIds[0] } },
        reporter,
      ),
    ).updateAttribution.attribution;
    expect(updated).toEqual({ kind: "PARAPHRASE", quote: "The mayor called it a great day", paragraph: { id: paragraphIds[0] } });
    expect(
      failure(
        await api.rawGraphql(`mutation($id: ID!) { confirmAttribution(id: $id) { attribution { id } } }`, { id: attributionId }, reporter),
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      ok(
        await api.rawGraphql(
          `mutation($id: ID!) { confirmAttribution(id: $id) { attribution { confirmed } } }`,
          { id: attributionId },
          editor,
        ),
      ).confirmAttribution.attribution.confirmed,
    ).toBe(true);
    expect(
      ok(
        await api.rawGraphql(`mutation($id: ID!) { removeAttribution(id: $id) { removedAttributionId } }`, { id: attributionId }, reporter),
      ).removeAttribution.removedAttributionId,
    ).toBe(attributionId);
    expect(await api.prisma.attribution.count({ where: { id: attributionId } })).toBe(0);
  });

  it("keeps anonymous sources anonymous: reason required, description shown to the public", async () => {
    const missing = failure(
      await api.rawGraphql(
        `mutation { createSource(input: { name: "Ministry insider", kind: ANONYMOUS, anonymousDescription: "an official at the ministry" }) { source { id } } }`,
        {},
        reporter,
      ),
    );
    expect(missing).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
    const contradicting = failure(
      await api.rawGraphql(
        `mutation { createSource(input: { name: "Someone", kind: PERSON, isAnonymous: true }) { source { id } } }`,
        {},
        reporter,
      ),
    );
    expect(contradicting).toMatchObject({ code: "BAD_USER_INPUT", field: "input.isAnonymous" });
    const source = ok(
      await api.rawGraphql(
        `mutation { createSource(input: { name: "Ministry insider (desk label)", kind: ANONYMOUS, isAnonymous: true, anonymousDescription: "an official at the ministry", anonymityReason: "Not authorized to speak publicly", terms: NOT_FOR_ATTRIBUTION }) { source { id name isAnonymous anonymityReason } } }`,
        {},
        reporter,
      ),
    ).createSource.source;
    expect(source).toMatchObject({
      name: "Ministry insider (desk label)",
      isAnonymous: true,
      anonymityReason: "Not authorized to speak publicly",
    });
    // Not yet in a published story: the public cannot see it at all.
    expect(ok(await api.rawGraphql(`query($id: ID!) { source(id: $id) { name } }`, { id: source.id })).source).toBeNull();

    const keeper = await api.tokenFor("EDITOR", "Kim Keeper");
    const known = ok(
      await api.rawGraphql(
        `mutation($id: ID!, $users: [ID!]) { updateSource(id: $id, input: { identityKnownBy: $users }) { source { identityKnownBy { name } } } }`,
        { id: source.id, users: [keeper.userId] },
        reporter,
      ),
    ).updateSource.source;
    expect(known.identityKnownBy).toEqual([{ name: "Kim Keeper" }]);
    const stranger = failure(
      await api.rawGraphql(
        `mutation($id: ID!, $users: [ID!]) { updateSource(id: $id, input: { identityKnownBy: $users }) { source { id } } }`,
        { id: source.id, users: ["0190a5c4-0000-7000-8000-00000000beef"] },
        reporter,
      ),
    );
    expect(stranger).toMatchObject({ code: "BAD_USER_INPUT", field: "input.identityKnownBy" });
    const named = failure(
      await api.rawGraphql(
        `mutation($u: [ID!]) { createSource(input: { name: "Named Person", kind: PERSON, identityKnownBy: $u }) { source { id } } }`,
        { u: [keeper.userId] },
        reporter,
      ),
    );
    expect(named).toMatchObject({ code: "BAD_USER_INPUT", field: "input.identityKnownBy" });
  });

  it("merges a duplicate source into the one kept, moving its attributions", async () => {
    const { sourceId, attributionId } = await storyWithQuote();
    const duplicate = ok(
      await api.rawGraphql(`mutation { createSource(input: { name: "D. Alvarez", kind: PERSON }) { source { id } } }`, {}, reporter),
    ).createSource.source;
    await api.prisma.attribution.update({ where: { id: attributionId }, data: { sourceId: duplicate.id } });
    expect(
      failure(
        await api.rawGraphql(
          `mutation($k: ID!, $m: ID!) { mergeSources(input: { keepId: $k, mergeId: $m }) { source { id } } }`,
          { k: sourceId, m: duplicate.id },
          reporter,
        ),
      ).code,
    ).toBe("FORBIDDEN");
    const kept = ok(
      await api.rawGraphql(
        `mutation($k: ID!, $m: ID!) { mergeSources(input: { keepId: $k, mergeId: $m }) { source { id attributions { id } } } }`,
        { k: sourceId, m: duplicate.id },
        editor,
      ),
    ).mergeSources.source;
    expect(kept).toEqual({ id: sourceId, attributions: [{ id: attributionId }] });
    expect(await api.prisma.source.count({ where: { id: duplicate.id } })).toBe(0);
    ok(
      await api.rawGraphql(
        `mutation($id: ID!) { updateSource(id: $id, input: { title: "Mayor of Springfield" }) { source { id } } }`,
        { id: sourceId },
        editor,
      ),
    );
    const storyId = (await api.prisma.attribution.findUniqueOrThrow({ where: { id: attributionId } })).storyId;
    const history = ok(await api.rawGraphql(`query($id: ID!) { story(id: $id) { history(first: 2) { action } } }`, { id: storyId }, editor))
      .story.history;
    expect(history).toEqual([{ action: "SOURCE_UPDATED" }, { action: "SOURCE_MERGED" }]);
  });

  it("places photos, captions them per story or for the photo, reorders and detaches them", async () => {
    const { storyId } = await storyWithQuote();
    const create = `mutation($input: PhotoInput!) { createPhoto(input: $input) { photo { id caption credit takenAt isFilePhoto } } }`;
    const first = ok(
      await api.rawGraphql(
        create,
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
    ).createPhoto.photo;
    expect(first).toMatchObject({ takenAt: "2026-11-20T06:30:00.000Z", isFilePhoto: false });
    const second = ok(
      await api.rawGraphql(
        create,
        { input: { caption: "FILE - The old ferry in 1998.", credit: "AP Photo", isFilePhoto: true } },
        reporter,
      ),
    ).createPhoto.photo;
    const attach = `mutation($input: AttachPhotoInput!) { attachPhoto(input: $input) { story { version } } }`;
    ok(await api.rawGraphql(attach, { input: { storyId, expectedVersion: 1, photoId: first.id } }, reporter));
    ok(
      await api.rawGraphql(
        attach,
        { input: { storyId, expectedVersion: 2, photoId: second.id, caption: "The ferry the bridge replaces." } },
        reporter,
      ),
    );
    expect(failure(await api.rawGraphql(attach, { input: { storyId, expectedVersion: 3, photoId: first.id } }, reporter)).code).toBe(
      "CONFLICT",
    );

    let story = ok(await api.rawGraphql(STORY, { id: storyId }, reporter)).story;
    expect(story.photos.map((p: any) => [p.position, p.role, p.caption, p.storyCaption, p.credit])).toEqual([
      [0, "LEAD", "The new bridge at dawn.", null, "AP Photo/Jo Lens"],
      [1, "INLINE", "The ferry the bridge replaces.", "The ferry the bridge replaces.", "AP Photo"],
    ]);

    ok(
      await api.rawGraphql(
        `mutation($input: MovePhotoInput!) { movePhoto(input: $input) { story { version } } }`,
        { input: { storyPhotoId: story.photos[1].id, expectedVersion: 3, toPosition: 0 } },
        reporter,
      ),
    );
    ok(
      await api.rawGraphql(
        `mutation($id: ID!) { updatePhoto(id: $id, input: { caption: "The bridge at dawn, Monday." }) { photo { caption } } }`,
        { id: first.id },
        reporter,
      ),
    );
    ok(
      await api.rawGraphql(
        `mutation($input: UpdateStoryPhotoInput!) { updateStoryPhoto(input: $input) { story { version } } }`,
        { input: { storyPhotoId: story.photos[1].id, expectedVersion: 4, caption: null } },
        reporter,
      ),
    );
    story = ok(await api.rawGraphql(STORY, { id: storyId }, reporter)).story;
    expect(story.photos.map((p: any) => [p.photo.id, p.caption])).toEqual([
      [second.id, "FILE - The old ferry in 1998."],
      [first.id, "The bridge at dawn, Monday."],
    ]);
    ok(
      await api.rawGraphql(
        `mutation($input: DetachPhotoInput!) { detachPhoto(input: $input) { story { version } } }`,
        { input: { storyPhotoId: story.photos[0].id, expectedVersion: 5 } },
        reporter,
      ),
    );
    story = ok(await api.rawGraphql(STORY, { id: storyId }, reporter)).story;
    expect(story.photos.map((p: any) => [p.position, p.photo.id])).toEqual([[0, first.id]]);
    expect(ok(await api.rawGraphql(`query($id: ID!) { photo(id: $id) { id } }`, { id: first.id })).photo).toBeNull();
  });

  it("keeps concurrent edits of one attribution, and records each change in the story's history", async () => {
    const { storyId, attributionId } = await storyWithQuote();
    const update = `mutation($id: ID!, $input: UpdateAttributionInput!) { updateAttribution(id: $id, input: $input) { attribution { id } } }`;
    await Promise.all([
      api.rawGraphql(update, { id: attributionId, input: { kind: "PARAPHRASE", quote: "The mayor called it a great day" } }, reporter),
      api.rawGraphql(update, { id: attributionId, input: { method: "INTERVIEW" } }, reporter),
    ]);
    expect(await api.prisma.attribution.findUniqueOrThrow({ where: { id: attributionId } })).toMatchObject({
      kind: "PARAPHRASE",
      quote: "The mayor called it a great day",
      method: "INTERVIEW",
    });
    ok(await api.rawGraphql(`mutation($id: ID!) { confirmAttribution(id: $id) { attribution { id } } }`, { id: attributionId }, editor));
    ok(await api.rawGraphql(`mutation($id: ID!) { removeAttribution(id: $id) { removedAttributionId } }`, { id: attributionId }, reporter));
    const history = ok(await api.rawGraphql(`query($id: ID!) { story(id: $id) { history { action version } } }`, { id: storyId }, reporter))
      .story.history;
    expect(history.map((e: any) => e.action).reverse()).toEqual([
      "CREATED",
      "ATTRIBUTION_ADDED",
      "ATTRIBUTION_UPDATED",
      "ATTRIBUTION_UPDATED",
      "ATTRIBUTION_CONFIRMED",
      "ATTRIBUTION_REMOVED",
    ]);
    expect(history.every((e: any) => e.version === 1)).toBe(true);
  });

  it("lets only someone who may edit every story using a photo change it, and records it there", async () => {
    const { storyId } = await storyWithQuote();
    const photo = ok(
      await api.rawGraphql(`mutation { createPhoto(input: { caption: "Bridge.", credit: "AP Photo" }) { photo { id } } }`, {}, reporter),
    ).createPhoto.photo;
    ok(
      await api.rawGraphql(
        `mutation($s: ID!, $p: ID!) { attachPhoto(input: { storyId: $s, expectedVersion: 1, photoId: $p }) { story { version } } }`,
        { s: storyId, p: photo.id },
        reporter,
      ),
    );
    const other = (await api.tokenFor("REPORTER")).token;
    const vandalism = failure(
      await api.rawGraphql(
        `mutation($id: ID!) { updatePhoto(id: $id, input: { caption: "Vandalised", credit: "" }) { photo { id } } }`,
        { id: photo.id },
        other,
      ),
    );
    expect(vandalism.code).toBe("FORBIDDEN");
    expect(await api.prisma.photo.findUniqueOrThrow({ where: { id: photo.id } })).toMatchObject({ caption: "Bridge.", credit: "AP Photo" });
    ok(
      await api.rawGraphql(
        `mutation($id: ID!) { updatePhoto(id: $id, input: { caption: "The bridge." }) { photo { id } } }`,
        { id: photo.id },
        editor,
      ),
    );
    const history = ok(await api.rawGraphql(`query($id: ID!) { story(id: $id) { history { action } } }`, { id: storyId }, reporter)).story
      .history;
    expect(history[0].action).toBe("PHOTO_EDITED");
  });

  it("refuses an empty or foreign paragraph id for a photo's anchor with the field named", async () => {
    const { storyId } = await storyWithQuote();
    const photo = ok(
      await api.rawGraphql(`mutation { createPhoto(input: { caption: "Bridge.", credit: "AP Photo" }) { photo { id } } }`, {}, reporter),
    ).createPhoto.photo;
    for (const paragraphId of ["", "not-a-uuid", "0190a5c4-0000-7000-8000-00000000dead"]) {
      const error = failure(
        await api.rawGraphql(
          `mutation($s: ID!, $p: ID!, $a: ID) { attachPhoto(input: { storyId: $s, expectedVersion: 1, photoId: $p, paragraphId: $a }) { story { version } } }`,
          { s: storyId, p: photo.id, a: paragraphId },
          reporter,
        ),
      );
      expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.paragraphId" });
    }
  });
});
