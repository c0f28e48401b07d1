import type { Database, Transaction } from "../db/client.js";
import { badInput, conflict } from "../errors.js";
import type { Story } from "../generated/prisma/client.js";
import { LIMITS } from "../db/column-limits.js";
import { forgetLoaded } from "../context/loaders.js";
import type { OperationContext } from "../context/operation-context.js";
import { recordNewStory } from "../stories/story-edit.js";
import { freeSlugFor } from "../stories/story-editing.service.js";
import { requireStaff } from "../users/users.rules.js";
import { assertSourceConsistent } from "../sources/source.rules.js";
import { parseWireStory, WireFormatError, type WireStory } from "./wire.parser.js";
import { proposalsOf, sourceDataFor, captionDates, speakerKey, wireContentHash, type SourcedSpeaker } from "./wire.rules.js";

export interface WireImportResult {
  story: Story;
  /** Body paragraphs imported, the lede first. */
  paragraphCount: number;
  /** Quotes found in the copy, attributed or not. */
  quoteCount: number;
  /** Sources the proposed attributions name, found in the newsroom or made by this import. */
  proposedSpeakers: number;
  /** Quotes and anonymous sources' paraphrases stored as unconfirmed attributions, for an editor to confirm. */
  proposedAttributions: number;
  /** Quotes left for an editor: no speaker named, an unnamed one ("one woman"), or a part too long to store. */
  unattributedQuotes: number;
}

export interface WireImportRequest {
  /** The text as filed: its content hash tells whether it was imported before. */
  text: string;
  authorId: string | null;
  /**
   * Import a text that already made a story anyway. The copy gets no content hash, so the first
   * story stays the one a later import is refused with.
   */
  again: boolean;
  /** Where the text came from, as the client names it ("input.text", "file"), for errors. */
  field: string;
}

/** Parses wire copy or says, in the client's terms, why it is not a wire story. */
export function parseWireText(text: string, field: string): WireStory {
  let wire: WireStory;
  try {
    wire = parseWireStory(text);
  } catch (error) {
    if (error instanceof WireFormatError) throw badInput(field, error.message, { reason: error.problem });
    throw error;
  }
  assertFitsAStory(wire, field);
  return wire;
}

/** A wire story whose parts are longer than a story's fields is refused whole, naming the part. */
function assertFitsAStory(wire: WireStory, field: string): void {
  const check = (what: string, value: string | null | undefined, max: number) => {
    if (value && value.length > max) {
      throw badInput(field, `${what} is ${value.length} characters, over the ${max} a story allows`, { reason: "TOO_LONG" });
    }
  };
  check("The dateline", wire.dateline, LIMITS.dateline);
  check("The credit", wire.credit, LIMITS.credit);
  check("The photo caption", wire.photo?.caption, LIMITS.caption);
  check("The photo credit", wire.photo?.credit, LIMITS.photoCredit);
  wire.paragraphs.forEach((paragraph, i) => check(`Paragraph ${i + 1}`, paragraph, LIMITS.paragraph));
  if (wire.paragraphs.length > LIMITS.paragraphsPerStory) {
    throw badInput(field, `The story has ${wire.paragraphs.length} paragraphs, over the ${LIMITS.paragraphsPerStory} a story allows`, {
      reason: "TOO_LONG",
    });
  }
}

/**
 * The source a proposed attribution names. A named one is the newsroom's source of that name if
 * there is one; an anonymous one is always new, since its description names nobody; either is
 * made once per import.
 */
async function sourceFor(tx: Transaction, speaker: SourcedSpeaker, wire: WireStory, met: Map<string, string>): Promise<string> {
  const key = speakerKey(speaker);
  const id = met.get(key) ?? (await namedSourceOf(tx, speaker)) ?? (await createSource(tx, speaker, wire));
  met.set(key, id);
  return id;
}

async function namedSourceOf(tx: Transaction, speaker: SourcedSpeaker): Promise<string | undefined> {
  if (speaker.kind === "ANONYMOUS") return undefined;
  const existing = await tx.source.findFirst({
    where: { name: { equals: speaker.name, mode: "insensitive" }, kind: { not: "ANONYMOUS" } },
    orderBy: { createdAt: "asc" },
  });
  return existing?.id;
}

/** A new source, held to the same rules as one an editor creates. */
async function createSource(tx: Transaction, speaker: SourcedSpeaker, wire: WireStory): Promise<string> {
  const data = sourceDataFor(speaker, wire);
  assertSourceConsistent(data, undefined, "input.text");
  return (await tx.source.create({ data })).id;
}

/**
 * Writes a parsed wire story as a DRAFT with its photo and proposed attributions, refusing a
 * text that already made a story unless the request says to import it again.
 */
export async function writeWireStory(tx: Transaction, wire: WireStory, request: WireImportRequest): Promise<WireImportResult> {
  const { authorId } = request;
  const contentHash = wireContentHash(request.text);
  const earlier = await tx.story.findUnique({ where: { wireContentHash: contentHash }, select: { id: true, slug: true } });
  if (earlier !== null && !request.again) throw duplicateImport(earlier, request.field);
  const story = await tx.story.create({
    data: {
      headline: wire.headline,
      slug: await freeSlugFor(tx, wire.headline),
      dateline: wire.dateline,
      credit: wire.credit,
      status: "DRAFT",
      authorId,
      wireContentHash: earlier === null ? contentHash : null,
      // Wire copy is by the agency, as the dateline prints it ("(AP)"); the importer invents no writer.
      bylines: { create: [{ position: 0, name: wire.credit }] },
    },
  });
  await tx.paragraph.createMany({ data: wire.paragraphs.map((text, position) => ({ storyId: story.id, text, position })) });
  const paragraphs = await tx.paragraph.findMany({ where: { storyId: story.id }, orderBy: { position: "asc" }, select: { id: true } });
  if (wire.photo) {
    const photo = await tx.photo.create({
      data: {
        caption: wire.photo.caption,
        credit: wire.photo.credit,
        ...captionDates(wire.photo),
        location: wire.photo.location,
        isFilePhoto: wire.photo.isFilePhoto,
      },
    });
    await tx.storyPhoto.create({ data: { storyId: story.id, photoId: photo.id, position: 0, role: "LEAD" } });
  }
  const met = new Map<string, string>();
  const proposals = proposalsOf(wire);
  for (const proposal of proposals) {
    await tx.attribution.create({
      data: {
        storyId: story.id,
        sourceId: await sourceFor(tx, proposal.speaker, wire, met),
        paragraphId: paragraphs[proposal.paragraphIndex]!.id,
        kind: proposal.kind,
        quote: proposal.words,
        confirmed: false,
      },
    });
  }
  await recordNewStory(tx, story, authorId, "IMPORTED");
  const proposedQuotes = proposals.filter((p) => p.kind === "DIRECT_QUOTE").length;
  return {
    story,
    paragraphCount: wire.paragraphs.length,
    quoteCount: wire.quotes.length,
    proposedSpeakers: new Set(met.values()).size,
    proposedAttributions: proposals.length,
    unattributedQuotes: wire.quotes.length - proposedQuotes,
  };
}

function duplicateImport(story: { id: string; slug: string }, field: string) {
  return conflict(`This wire text was already imported as story ${story.id} (${story.slug})`, field, {
    reason: "DUPLICATE_WIRE_STORY",
    storyId: story.id,
    slug: story.slug,
  });
}

/**
 * Imports parsed wire copy in one transaction. Two imports of the same text at once both find
 * no earlier story; the unique content hash refuses the second at commit, which is then told
 * which story the first one made.
 */
export async function importWire(db: Database, wire: WireStory, request: WireImportRequest): Promise<WireImportResult> {
  try {
    return await db.$transaction((tx) => writeWireStory(tx, wire, request), { maxWait: 30_000, timeout: 60_000 });
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") {
      const earlier = await db.story.findUnique({
        where: { wireContentHash: wireContentHash(request.text) },
        select: { id: true, slug: true },
      });
      if (earlier !== null) throw duplicateImport(earlier, request.field);
    }
    throw error;
  }
}

export async function importWireStory(ctx: OperationContext, input: { text: string; again?: boolean | null }): Promise<WireImportResult> {
  const staff = requireStaff(ctx.viewer);
  const wire = parseWireText(input.text, "input.text");
  const result = await importWire(ctx.db, wire, { text: input.text, authorId: staff.id, again: input.again === true, field: "input.text" });
  // The import may quote sources the request has read; what it read of them is stale now.
  forgetLoaded(ctx.loaders);
  return result;
}
