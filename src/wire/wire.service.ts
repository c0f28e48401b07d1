import type { Transaction } from "../db/client.js";
import { badInput } from "../errors.js";
import type { SourceKind, Story } from "../generated/prisma/client.js";
import { inTransaction, type OperationContext } from "../operation.js";
import { freeSlugFor, recordEvent } from "../stories/story.service.js";
import { requireRole } from "../users/users.rules.js";
import { parseWireStory, WireFormatError, type DetectedQuote, type WireStory } from "./wire.parser.js";

export interface WireImportResult {
  story: Story;
  /** Direct quotes stored as unconfirmed attributions, for an editor to confirm. */
  proposedAttributions: number;
  /** Quotes whose speaker the text does not name in the same sentence. */
  unattributedQuotes: number;
}

/** Parses wire copy or says, in the client's terms, why it is not a wire story. */
export function parseWireText(text: string, field: string): WireStory {
  try {
    return parseWireStory(text);
  } catch (error) {
    if (error instanceof WireFormatError) throw badInput(field, error.message, { reason: error.problem });
    throw error;
  }
}

/** Speakers like "the statement" are documents; everyone named is taken for a person until an editor says otherwise. */
function kindOfSpeaker(name: string): SourceKind {
  return /\b(statement|report|document|release|letter|resolution|filing)\b/i.test(name) ? "DOCUMENT" : "PERSON";
}

/**
 * Finds the source a detected quote names: one named the same already in the newsroom, or one
 * this import already met under a fuller name ("Alvarez" after "Dana Alvarez"), or a new one.
 */
async function sourceFor(tx: Transaction, speaker: NonNullable<DetectedQuote["speaker"]>, met: Map<string, string>): Promise<string> {
  const key = speaker.name.toLowerCase();
  const byFullName = met.get(key) ?? [...met.entries()].find(([name]) => name.endsWith(` ${key}`))?.[1];
  if (byFullName) return byFullName;
  const existing = await tx.source.findFirst({ where: { name: { equals: speaker.name, mode: "insensitive" } }, orderBy: { createdAt: "asc" } });
  const id = existing?.id ?? (await tx.source.create({ data: { name: speaker.name, kind: kindOfSpeaker(speaker.name), title: speaker.title } })).id;
  met.set(key, id);
  return id;
}

function takenAtOf(isoDate: string | null): Date | null {
  return isoDate ? new Date(`${isoDate}T00:00:00.000Z`) : null;
}

/** Writes a parsed wire story as a DRAFT with its photo and proposed attributions, in one transaction. */
export async function writeWireStory(tx: Transaction, wire: WireStory, authorId: string | null): Promise<WireImportResult> {
  const story = await tx.story.create({
    data: {
      headline: wire.headline,
      slug: await freeSlugFor(tx, wire.headline),
      dateline: wire.dateline,
      credit: wire.credit,
      status: "DRAFT",
      authorId,
    },
  });
  await recordEvent(tx, authorId, story, "IMPORTED", null);
  await tx.paragraph.createMany({ data: wire.paragraphs.map((text, position) => ({ storyId: story.id, text, position })) });
  const paragraphs = await tx.paragraph.findMany({ where: { storyId: story.id }, orderBy: { position: "asc" }, select: { id: true } });
  if (wire.photo) {
    const photo = await tx.photo.create({
      data: {
        caption: wire.photo.caption,
        credit: wire.photo.credit,
        takenAt: takenAtOf(wire.photo.takenOn),
        location: wire.photo.location,
        isFilePhoto: wire.photo.isFilePhoto,
      },
    });
    await tx.storyPhoto.create({ data: { storyId: story.id, photoId: photo.id, position: 0, role: "LEAD" } });
  }
  const met = new Map<string, string>();
  let proposedAttributions = 0;
  for (const quote of wire.quotes) {
    if (!quote.speaker) continue;
    await tx.attribution.create({
      data: {
        storyId: story.id,
        sourceId: await sourceFor(tx, quote.speaker, met),
        paragraphId: paragraphs[quote.paragraphIndex]!.id,
        kind: "DIRECT_QUOTE",
        quote: quote.quote,
        confirmed: false,
      },
    });
    proposedAttributions += 1;
  }
  return { story, proposedAttributions, unattributedQuotes: wire.quotes.length - proposedAttributions };
}

export async function importWireStory(ctx: OperationContext, input: { text: string }): Promise<WireImportResult> {
  const staff = requireRole(ctx.viewer, "REPORTER", "Importing a wire story");
  const wire = parseWireText(input.text, "input.text");
  return inTransaction(ctx, (tx) => writeWireStory(tx, wire, staff.id));
}
