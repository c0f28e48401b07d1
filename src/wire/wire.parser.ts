/**
 * Parser for AP-style wire copy: a headline line, an optional photo caption
 * paragraph, a dateline lede ("BAGHDAD (AP) — ...") and body paragraphs.
 *
 * Pure: no I/O. Wire copy is kept verbatim (typos, stray spaces and mixed
 * curly/straight quote marks included) because it is the record of what the
 * agency filed. Every text field is an exact substring of the input; a
 * speaker's name may come from an earlier sentence than the quote ("Ramirez
 * said" gives the "Chuck Ramirez" named before). A caption's takenOn is
 * derived (yyyy-mm-dd).
 *
 * Every scan is linear or works on a bounded window, so megabytes of junk
 * fail fast instead of backtracking. The sections live in ./parser/:
 * structure (parts of the story), sentences (sentences and words), caption,
 * quotes (quotation marks), names (what a phrase says about a speaker),
 * phrases (the phrase around a speech verb), clauses (sentences without
 * quotes), references (what surnames, pronouns and "the official" point back
 * to), speakers (who said what, composing the rest) and vocabulary (every
 * word list).
 */
import { parseCaption, type ParsedCaption } from "./parser/caption.js";
import { detectAttributions, type DetectedParaphrase, type DetectedQuote } from "./parser/speakers.js";
import { parseStructure } from "./parser/structure.js";

export { parseCaption, type ParsedCaption } from "./parser/caption.js";
export { type Speaker, type SpeakerKind } from "./parser/names.js";
export { detectAttributions, type DetectedAttributions, type DetectedParaphrase, type DetectedQuote } from "./parser/speakers.js";
export { WIRE_HEADLINE_MAX_CHARS, WIRE_TEXT_MAX_BYTES, WireFormatError, type WireFormatProblem } from "./parser/structure.js";

export interface WireStory {
  headline: string;
  dateline: string;
  credit: string;
  /** Body paragraphs verbatim; the first is the lede without its dateline prefix. */
  paragraphs: string[];
  /** Exactly what stood between "(AP)" and the lede text, e.g. " — ". */
  datelineSeparator: string;
  photo: ParsedCaption | null;
  quotes: DetectedQuote[];
  /** Claims of anonymous sources outside quotation marks, for an editor to check. */
  paraphrases: DetectedParaphrase[];
}

export function parseWireStory(text: string): WireStory {
  const { headline, dateline, credit, datelineSeparator, caption, paragraphs } = parseStructure(text);
  const { quotes, paraphrases } = detectAttributions(paragraphs);
  return {
    headline,
    dateline,
    credit,
    paragraphs,
    datelineSeparator,
    photo: caption === null ? null : parseCaption(caption),
    quotes,
    paraphrases,
  };
}
