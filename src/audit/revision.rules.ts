import { diffArrays, diffWords } from "diff";
import type { Prisma } from "../generated/prisma/client.js";
import { badInput } from "../errors.js";
import type { Viewer } from "../users/users.rules.js";

/**
 * A story as it printed at one version: what a revision keeps. Paragraphs, placements and
 * attributions keep their stable ids, so two revisions can be compared part by part.
 */
export interface PrintedStory {
  headline: string;
  summary: string | null;
  dateline: string | null;
  credit: string | null;
  bylines: PrintedByline[];
  paragraphs: { id: string; text: string }[];
  photos: PrintedPhoto[];
  /** Confirmed attributions only: an unconfirmed one is the desk's proposal, not yet printed. */
  attributions: PrintedAttribution[];
}

export interface PrintedByline {
  name: string;
  title: string | null;
  affiliation: string | null;
  userId: string | null;
}

export interface PrintedPhoto {
  placementId: string;
  photoId: string;
  role: "LEAD" | "INLINE";
  /** As printed: the story's own caption, else the photo's. */
  caption: string | null;
  /** The caption this story set for itself, if any; restoring puts it back. */
  storyCaption: string | null;
  credit: string | null;
  paragraphId: string | null;
}

export interface PrintedAttribution {
  id: string;
  sourceId: string;
  /** The source as readers see it (an anonymous one by its description), so that a renamed source makes a revision. */
  source: { name: string; title: string | null; affiliation: string | null };
  paragraphId: string;
  kind: "DIRECT_QUOTE" | "PARAPHRASE" | "STATEMENT";
  quote: string | null;
  method: string | null;
}

/**
 * The words a reader reads: headline, summary, dateline and credit, bylines, the paragraphs in
 * order, and the photos' captions and credits. Once a story has been published, changing any of
 * these needs a correction note or a stated minor edit. Who an attribution names is the desk's
 * record, not printed words (the copy names the speaker in the paragraph itself).
 */
export function printedWords(story: PrintedStory): unknown {
  return [
    story.headline,
    story.summary,
    story.dateline,
    story.credit,
    story.bylines.map((byline) => [byline.name, byline.title, byline.affiliation]),
    story.paragraphs.map((paragraph) => paragraph.text),
    story.photos.map((photo) => [photo.caption, photo.credit]),
  ];
}

export function printedWordsDiffer(before: PrintedStory, after: PrintedStory): boolean {
  return JSON.stringify(printedWords(before)) !== JSON.stringify(printedWords(after));
}

export type ParagraphChange = "ADDED" | "REMOVED" | "CHANGED" | "MOVED";

export interface WordChange {
  /** ADDED and REMOVED words, and the UNCHANGED ones between them, in reading order. */
  change: "ADDED" | "REMOVED" | "UNCHANGED";
  text: string;
}

export interface ParagraphDiff {
  paragraphId: string;
  change: ParagraphChange;
  before: string | null;
  after: string | null;
  fromPosition: number | null;
  toPosition: number | null;
  /** For a CHANGED paragraph, its words: what was removed, what was added, and what stayed. */
  words: WordChange[];
}

export interface FieldDiff {
  field: "headline" | "summary" | "dateline" | "credit";
  before: string | null;
  after: string | null;
  words: WordChange[];
}

function wordsBetween(before: string, after: string): WordChange[] {
  return diffWords(before, after).map((part) => ({
    change: part.added ? "ADDED" : part.removed ? "REMOVED" : "UNCHANGED",
    text: part.value,
  }));
}

/**
 * Two revisions compared paragraph by paragraph, by the paragraphs' stable ids: a paragraph only
 * in the later one is ADDED, only in the earlier one REMOVED; in both, CHANGED when its text
 * differs (with the words that changed) and MOVED when only its place among the paragraphs both
 * revisions share did (a changed paragraph that also moved is CHANGED, with both positions). Paragraphs that neither changed nor moved are left out. Entries follow the
 * later revision's order, removed paragraphs after them in the earlier one's.
 */
export function diffParagraphs(from: PrintedStory, to: PrintedStory): ParagraphDiff[] {
  const fromById = new Map(from.paragraphs.map((paragraph, position) => [paragraph.id, { ...paragraph, position }]));
  const toIds = new Set(to.paragraphs.map((paragraph) => paragraph.id));
  // A paragraph added or removed shifts the ones after it; that is not a move. Among the paragraphs
  // both revisions hold, the longest run kept in the same order stayed put, and the rest moved.
  const sharedBefore = from.paragraphs.filter((paragraph) => toIds.has(paragraph.id)).map((paragraph) => paragraph.id);
  const sharedAfter = to.paragraphs.filter((paragraph) => fromById.has(paragraph.id)).map((paragraph) => paragraph.id);
  const moved = new Set(diffArrays(sharedBefore, sharedAfter).flatMap((part) => (part.added ? part.value : [])));
  const diffs: ParagraphDiff[] = [];
  to.paragraphs.forEach((paragraph, toPosition) => {
    const earlier = fromById.get(paragraph.id);
    if (!earlier) {
      diffs.push({
        paragraphId: paragraph.id,
        change: "ADDED",
        before: null,
        after: paragraph.text,
        fromPosition: null,
        toPosition,
        words: [],
      });
      return;
    }
    const base = { paragraphId: paragraph.id, before: earlier.text, after: paragraph.text, fromPosition: earlier.position, toPosition };
    if (earlier.text !== paragraph.text) {
      diffs.push({ ...base, change: "CHANGED", words: wordsBetween(earlier.text, paragraph.text) });
    } else if (moved.has(paragraph.id)) {
      diffs.push({ ...base, change: "MOVED", words: [] });
    }
  });
  from.paragraphs.forEach((paragraph, fromPosition) => {
    if (!toIds.has(paragraph.id)) {
      diffs.push({
        paragraphId: paragraph.id,
        change: "REMOVED",
        before: paragraph.text,
        after: null,
        fromPosition,
        toPosition: null,
        words: [],
      });
    }
  });
  return diffs;
}

/** The story's own printed fields that differ between two revisions, with their changed words. */
export function diffFields(from: PrintedStory, to: PrintedStory): FieldDiff[] {
  const fields = ["headline", "summary", "dateline", "credit"] as const;
  return fields
    .filter((field) => from[field] !== to[field])
    .map((field) => ({ field, before: from[field], after: to[field], words: wordsBetween(from[field] ?? "", to[field] ?? "") }));
}

/**
 * Revisions are the newsroom's record of every version, drafts included: staff read them; for the
 * public there are none to read (they read what is printed now, and its correction notes).
 */
export function readableRevisionsWhere(viewer: Viewer): Prisma.StoryRevisionWhereInput | null {
  return viewer ? {} : null;
}

export interface EditorialNote {
  correction?: { kind: "CORRECTION" | "CLARIFICATION" | "EDITORS_NOTE" | "RETRACTION"; text: string } | null;
  minorEditReason?: string | null;
}

/**
 * What a change to a story must carry, given whether it changed the printed words and whether the
 * story has ever reached the public: once published, any change to its words needs a correction
 * note or a stated minor edit, so that what was printed stays accounted for. A correction needs
 * something printed to correct. `field` is where the request carried the note ("input"; "" for
 * arguments of the operation itself).
 */
export function assertEditorialNote(
  change: { everPublished: boolean; wordsChanged: boolean; note: EditorialNote | undefined },
  field: string,
): void {
  const { correction, minorEditReason } = change.note ?? {};
  const at = (name: string) => (field ? `${field}.${name}` : name);
  if (correction && minorEditReason) {
    throw badInput(
      at("minorEditReason"),
      "Give a correction note or a minor edit reason, not both: a change that needs a note is not minor",
    );
  }
  if (correction && correction.text.trim() === "") throw badInput(at("correction.text"), "A correction note needs its text");
  if (correction && !change.everPublished) {
    throw badInput(at("correction"), "The story has never been published, so there is nothing printed to correct", {
      reason: "NOTHING_PRINTED",
    });
  }
  if (change.everPublished && change.wordsChanged && !correction && !minorEditReason?.trim()) {
    throw badInput(
      at("correction"),
      "The story has been published: a change to its text needs a correction note (correction) or, for a typo that changes no fact, a minorEditReason",
      { reason: "CORRECTION_REQUIRED" },
    );
  }
}
