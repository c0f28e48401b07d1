/**
 * A photo caption paragraph: its credit, whether it is a file photo, and the date and place of
 * its first sentence. A wrong date or place is worse than none, so anything unclear gives null.
 */
import { bare, periodIsPartOfWord, sentenceEnds } from "./sentences.js";
import {
  ARABIC_ARTICLE_RE,
  COMPASS_WORDS,
  MONTH_ABBREVIATIONS,
  MONTH_FULL_NAMES,
  MONTHS,
  PLACE_PARTICLES,
  WEEKDAYS,
} from "./vocabulary.js";

export interface ParsedCaption {
  /** The caption exactly as filed. */
  caption: string;
  isFilePhoto: boolean;
  /** yyyy-mm-dd, or null when the first sentence has no valid full date. */
  takenOn: string | null;
  location: string | null;
  /** e.g. "AP Photo/Efrem Lukatsky"; a trailing ", File" marker is not part of it. */
  credit: string | null;
}

const FILE_MARKER_RE = /^FILE\s*(?:--|[-–—:])\s*/u;
const FILE_PHRASE_RE = /\bfile (?:photo|image|picture)\b/iu;
// "AP Photo/Name", "Photo by ...", "... via AP", "Courtesy of ...", or an
// "Agency/Photographer" pair such as "Reuters/Name".
const CREDIT_RE = /\bphotos?\b|\bvia\b|\bcourtesy\b|^[\p{L} .&-]+\/[\p{L}\p{M} .'’-]+(?:,\s*File)?$/iu;
const FILE_CREDIT_SUFFIX_RE = /,\s*File$/u;

const longestFirst = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length);
const MONTH_NAME = `${MONTH_FULL_NAMES.join("|")}|(?:${longestFirst(MONTH_ABBREVIATIONS).join("|")})\\.?`;
const DATE_RE = new RegExp(String.raw`\b(${MONTH_NAME})\s(\d{1,2}),?\s(\d{4})(?!\d)`, "u");
const DATES_RE = new RegExp(DATE_RE.source, "gu");
const WEEKDAY = WEEKDAYS.join("|");
const WEEKDAY_BEFORE_DATE_RE = new RegExp(String.raw`(${WEEKDAY}),?\s+$`, "u");
const TRAILING_WHEN_RE = new RegExp(String.raw`,?\s*(?:on\s+)?(?:(?:${WEEKDAY}),?\s*)?$`, "u");
const PLACE_PREPOSITION_RE = /\b(?:at|in|near)\s+(?:the\s+)?/gu;

/** Whether a line is a caption rather than a headline: it opens with FILE or ends with a photo credit. */
export function looksLikeCaption(line: string): boolean {
  return FILE_MARKER_RE.test(line) || trailingCredit(line) !== null;
}

export function parseCaption(caption: string): ParsedCaption {
  const credit = trailingCredit(caption);
  let body = caption.slice(0, credit?.start ?? caption.length);
  const fileMarker = FILE_MARKER_RE.exec(body);
  if (fileMarker !== null) body = body.slice(fileMarker[0].length);
  const firstSentence = body.slice(0, sentenceEnds(body)[0] ?? body.length).trimEnd();
  return {
    caption,
    isFilePhoto: fileMarker !== null || credit?.markedFile === true || FILE_PHRASE_RE.test(body),
    takenOn: captionDate(firstSentence),
    location: captionLocation(firstSentence),
    credit: credit?.credit ?? null,
  };
}

interface Credit {
  credit: string;
  markedFile: boolean;
  /** Offset of the opening parenthesis. */
  start: number;
}

/** A final parenthetical that names a photographer or agency: "(AP Photo/Efrem Lukatsky, File)". */
function trailingCredit(caption: string): Credit | null {
  const trimmed = caption.trimEnd();
  if (!trimmed.endsWith(")")) return null;
  const start = trimmed.lastIndexOf("(");
  const inside = trimmed.slice(start + 1, -1);
  if (start === -1 || inside.includes(")") || inside.length > 150 || !CREDIT_RE.test(inside)) return null;
  const markedFile = FILE_CREDIT_SUFFIX_RE.test(inside);
  const credit = markedFile ? inside.replace(FILE_CREDIT_SUFFIX_RE, "") : inside;
  return { credit, markedFile, start };
}

/** The first full date in the caption's first sentence as yyyy-mm-dd; an impossible or mismatched date gives null. */
function captionDate(sentence: string): string | null {
  const match = DATE_RE.exec(sentence);
  if (match === null) return null;
  const [, monthName = "", dayText = "", yearText = ""] = match;
  const month = MONTHS.get(monthName.replace(/\.$/u, ""));
  const day = Number(dayText);
  const year = Number(yearText);
  if (month === undefined || day < 1 || day > daysInMonth(year, month)) return null;
  const weekday = WEEKDAY_BEFORE_DATE_RE.exec(sentence.slice(Math.max(0, match.index - 12), match.index));
  if (weekday !== null && weekday[1] !== WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]) return null;
  return `${yearText}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The "at|in|near (the) Place, Region" phrase that ends the first sentence,
 * once a trailing "(on) Weekday, Month Day, Year" is set aside. Anything less
 * clear-cut gives null: a wrong place is worse than none.
 */
function captionLocation(sentence: string): string | null {
  let text = sentence;
  const lastWord = bare(text.slice(text.lastIndexOf(" ") + 1));
  if (text.endsWith(".") && !periodIsPartOfWord(lastWord)) text = text.slice(0, -1);
  // Set aside any date shape, valid or not, so "Feb. 30, 2024" never becomes part of a place.
  const lastDate = [...text.matchAll(DATES_RE)].at(-1);
  if (lastDate !== undefined && lastDate.index + lastDate[0].length === text.length) text = text.slice(0, lastDate.index);
  // Only the tail can hold the weekday; a bounded tail keeps the $-anchored
  // pattern linear on a sentence of any length.
  const tailStart = Math.max(0, text.length - 40);
  const when = TRAILING_WHEN_RE.exec(text.slice(tailStart));
  if (when !== null) text = text.slice(0, tailStart + when.index);

  const preposition = [...text.matchAll(PLACE_PREPOSITION_RE)].at(-1);
  if (preposition === undefined) return null;
  const place = text.slice(preposition.index + preposition[0].length);
  return isPlaceName(place) ? place : null;
}

function isPlaceName(place: string): boolean {
  const parts = place.split(", ");
  if (parts.length < 2 || parts.length > 4) return false;
  return parts.every((part, index) => {
    const all = part.split(" ");
    const words = index > 0 && isCompassWord(all[0] ?? "") ? all.slice(1) : all;
    const first = words[0] ?? "";
    const last = words[words.length - 1] ?? "";
    // A part may end in a number ("Pier 39") but not start with one: "Ukraine, 2024" is a date, not a place.
    return (
      words.length <= 8 &&
      /^\p{Lu}/u.test(first) &&
      isCapitalisedPlaceWord(first) &&
      isCapitalisedPlaceWord(last) &&
      words.every((word) => isCapitalisedPlaceWord(word) || PLACE_PARTICLES.has(word) || ARABIC_ARTICLE_RE.test(word))
    );
  });
}

/** "east", "eastern", "southwestern". */
function isCompassWord(word: string): boolean {
  return COMPASS_WORDS.has(word) || (word.endsWith("ern") && COMPASS_WORDS.has(word.slice(0, -3)));
}

function isCapitalisedPlaceWord(word: string): boolean {
  return /^[\p{Lu}\p{Nd}][\p{L}\p{M}\p{Nd}.'’&-]*$/u.test(word);
}
