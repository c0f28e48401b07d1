import { badInput } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import { inReadableBodyWhere } from "../stories/story.rules.js";
import type { Viewer } from "../users/users.rules.js";

export type AttributionKind = "DIRECT_QUOTE" | "PARAPHRASE" | "STATEMENT";

/**
 * Wire copy mixes curly and straight marks, even within one quote (“... battles," in AP copy), so
 * they count as the same mark when a quote is compared with its paragraph. The database trigger
 * fold_quote_marks() folds the same characters.
 */
const DOUBLE_MARKS = /[“”„‟]/g;
const SINGLE_MARKS = /[‘’‚‛]/g;

export function foldQuoteMarks(text: string): string {
  return text.replace(DOUBLE_MARKS, '"').replace(SINGLE_MARKS, "'");
}

export function quoteAppearsVerbatim(quote: string, paragraphText: string): boolean {
  return quote.length > 0 && foldQuoteMarks(paragraphText).includes(foldQuoteMarks(quote));
}

/** A direct quote needs its words, and they must stand verbatim in the paragraph it is anchored to. */
export function assertAttributionFits(
  attribution: { kind: AttributionKind; quote?: string | null },
  paragraphText: string,
  field: string,
): void {
  if (attribution.kind !== "DIRECT_QUOTE") return;
  const quote = attribution.quote ?? "";
  if (quote.trim() === "") throw badInput(field, "A direct quote needs the quoted words");
  if (!quoteAppearsVerbatim(quote, paragraphText)) {
    throw badInput(field, "The direct quote does not appear verbatim in its paragraph", {
      reason: "QUOTE_NOT_IN_PARAGRAPH",
    });
  }
}

/**
 * Of a story the viewer may read, the attributions they may read too: staff all of them, the
 * public the confirmed ones only, so that the importer's unconfirmed guesses stay in the newsroom.
 */
export function readableAttributionsOfStoryWhere(viewer: Viewer): Prisma.AttributionWhereInput {
  return viewer ? {} : { confirmed: true };
}

/** The attributions a viewer may read wherever they are reached from: readable ones in a story whose body they may read. */
export function readableAttributionsWhere(viewer: Viewer): Prisma.AttributionWhereInput {
  return { ...readableAttributionsOfStoryWhere(viewer), ...inReadableBodyWhere(viewer) };
}

/** As they stand in the story: by paragraph, then in the order they were added. */
export const ATTRIBUTION_ORDER = [
  { paragraph: { position: "asc" } },
  { createdAt: "asc" },
  { id: "asc" },
] satisfies Prisma.AttributionOrderByWithRelationInput[];
