/**
 * Parser for AP-style wire copy: a headline line, an optional photo caption
 * paragraph, a dateline lede ("BAGHDAD (AP) — ...") and body paragraphs.
 *
 * Pure: no I/O. Wire copy is kept verbatim (typos, stray spaces and mixed
 * curly/straight quote marks included) because it is the record of what the
 * agency filed. Every text field is an exact substring of the input, with
 * one exception: a quote speaker's sentence-initial article is lowercased
 * ("The statement said" gives "the statement") so one source reads the same
 * wherever it is named. A caption's takenOn is derived (yyyy-mm-dd).
 *
 * Every scan is linear or works on a bounded window, so megabytes of junk
 * fail fast instead of backtracking.
 */

/** Largest accepted input, in UTF-8 bytes; a story is a few kilobytes. */
export const WIRE_TEXT_MAX_BYTES = 1024 * 1024;

/** A first line longer than this is body text, not a headline. */
export const WIRE_HEADLINE_MAX_CHARS = 300;

export type WireFormatProblem = "EMPTY" | "BINARY" | "TOO_LARGE" | "NO_HEADLINE" | "NO_DATELINE" | "NO_BODY";

export class WireFormatError extends Error {
  override name = "WireFormatError";
  readonly problem: WireFormatProblem;

  constructor(problem: WireFormatProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

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

export interface QuoteSpeaker {
  name: string;
  title: string | null;
}

export interface DetectedQuote {
  paragraphIndex: number;
  /** The words between the marks, an exact substring of the paragraph. */
  quote: string;
  speaker: QuoteSpeaker | null;
}

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
}

// Decoding errors and a stray control character happen in real copy; binary
// data decoded as text is far denser in them than this.
const MAX_CONTROL_SHARE = 0.05;

// Attributions sit next to their quote; a bounded window keeps a paragraph
// full of quote marks linear instead of quadratic.
const CONTEXT_WINDOW = 300;

const LEFT_DOUBLE = "\u201C";
const RIGHT_DOUBLE = "\u201D";
const STRAIGHT_DOUBLE = '"';

// ---------------------------------------------------------------------------
// Story structure
// ---------------------------------------------------------------------------

interface Block {
  text: string;
  /** 1-based line number of the block's first line, for error messages. */
  line: number;
}

interface Dateline {
  dateline: string;
  credit: string;
  separator: string;
  lede: string;
}

// A capitalised place word, or a lowercase particle inside a place name, for
// agencies that do not capitalise datelines: "Rio de Janeiro (AFP) - ".
const PLACE_WORD = String.raw`(?:\p{Lu}[\p{L}\p{M}\p{Nd}.'’&/-]{0,30}|de|da|do|del|la|le|el|al|am|upon|on|sur|di|du|des|of)`;
const PLACE = String.raw`\p{Lu}[\p{L}\p{M}\p{Nd}.'’&/-]{0,30}(?: ${PLACE_WORD}){0,5}`;
// Bounded, comma-free place words keep this anchored pattern from backtracking;
// it only ever sees the first DATELINE_SCAN characters of a paragraph.
const DATELINE_RE = new RegExp(
  String.raw`^(${PLACE}(?:, ${PLACE}){0,2}) \((\p{Lu}[\p{L}\p{N}.&'’ -]{0,39}|dpa)\)(\s*(?:—|–|--|-)\s*)`,
  "u",
);
const DATELINE_SCAN = 400;

export function parseWireStory(text: string): WireStory {
  assertSize(text);
  assertTextual(text);
  // A byte-order mark is an encoding artefact, not part of the headline.
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const blocks = splitHeadline(splitBlocks(source));
  const [headlineBlock, ...rest] = blocks;
  if (headlineBlock === undefined) {
    throw new WireFormatError("EMPTY", "The wire text is empty or contains only whitespace.");
  }
  const headline = headlineBlock.text;
  assertHeadline(headline);

  const [first, second] = rest;
  if (first === undefined) {
    throw new WireFormatError("NO_BODY", `The wire text has a headline ("${snippet(headline)}") but nothing after it.`);
  }
  let photo: ParsedCaption | null = null;
  let ledeIndex = 0;
  let dateline = matchDateline(first.text);
  if (dateline === null && second !== undefined) {
    dateline = matchDateline(second.text);
    if (dateline !== null) {
      photo = parseCaption(first.text);
      ledeIndex = 1;
    }
  }
  if (dateline === null) throw noDatelineError(rest);
  if (dateline.lede.trim() === "") {
    throw new WireFormatError("NO_BODY", `The dateline "${dateline.dateline} (${dateline.credit})" is not followed by any story text.`);
  }

  const paragraphs = [dateline.lede, ...rest.slice(ledeIndex + 1).map((block) => block.text)];
  return {
    headline,
    dateline: dateline.dateline,
    credit: dateline.credit,
    paragraphs,
    datelineSeparator: dateline.separator,
    photo,
    quotes: detectQuotes(paragraphs),
  };
}

function assertSize(text: string): void {
  // Every UTF-16 code unit is at least one UTF-8 byte, so this skips counting
  // a string that is obviously too big.
  if (text.length > WIRE_TEXT_MAX_BYTES) {
    throw new WireFormatError(
      "TOO_LARGE",
      `The wire text is at least ${text.length} bytes; the limit is ${WIRE_TEXT_MAX_BYTES} bytes (1 MiB).`,
    );
  }
  const bytes = utf8ByteLength(text);
  if (bytes > WIRE_TEXT_MAX_BYTES) {
    throw new WireFormatError("TOO_LARGE", `The wire text is ${bytes} bytes in UTF-8; the limit is ${WIRE_TEXT_MAX_BYTES} bytes (1 MiB).`);
  }
}

function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function assertTextual(text: string): void {
  let suspicious = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) {
      throw new WireFormatError("BINARY", `The wire text contains a NUL character at offset ${i}; it looks like binary data, not text.`);
    }
    const allowedControl = code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
    if ((code < 0x20 && !allowedControl) || (code >= 0x7f && code <= 0x9f) || code === 0xfffd) suspicious++;
  }
  if (text.length > 0 && suspicious / text.length > MAX_CONTROL_SHARE) {
    const percent = ((suspicious / text.length) * 100).toFixed(1);
    throw new WireFormatError(
      "BINARY",
      `${percent}% of the wire text is control or U+FFFD replacement characters (more than ${MAX_CONTROL_SHARE * 100}%); ` +
        "it looks like binary data or text decoded with the wrong encoding.",
    );
  }
}

/** Paragraphs are runs of non-blank lines; their inner line breaks are kept as filed. */
function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let blockStart = -1;
  let blockEnd = -1;
  let blockLine = 0;
  let line = 0;
  let pos = 0;
  for (;;) {
    const newline = text.indexOf("\n", pos);
    const lineEnd = newline === -1 ? text.length : newline;
    const contentEnd = lineEnd > pos && text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
    line++;
    if (text.slice(pos, contentEnd).trim() === "") {
      if (blockStart !== -1) blocks.push({ text: text.slice(blockStart, blockEnd), line: blockLine });
      blockStart = -1;
    } else {
      if (blockStart === -1) {
        blockStart = pos;
        blockLine = line;
      }
      blockEnd = contentEnd;
    }
    if (newline === -1) break;
    pos = newline + 1;
  }
  if (blockStart !== -1) blocks.push({ text: text.slice(blockStart, blockEnd), line: blockLine });
  return blocks;
}

/** The headline is line 1 only; lines filed right under it start the next paragraph. */
function splitHeadline(blocks: Block[]): Block[] {
  const [first, ...rest] = blocks;
  if (first === undefined) return blocks;
  const newline = first.text.indexOf("\n");
  if (newline === -1) return blocks;
  const headline = first.text.slice(0, first.text[newline - 1] === "\r" ? newline - 1 : newline);
  return [{ text: headline, line: first.line }, { text: first.text.slice(newline + 1), line: first.line + 1 }, ...rest];
}

function assertHeadline(headline: string): void {
  if (matchDateline(headline) !== null) {
    throw new WireFormatError(
      "NO_HEADLINE",
      `The first line is a dateline lede ("${snippet(headline)}"); a headline line must come first.`,
    );
  }
  if (looksLikeCaption(headline)) {
    throw new WireFormatError(
      "NO_HEADLINE",
      `The first line looks like a photo caption ("${snippet(headline)}"); a headline line must come first.`,
    );
  }
  const length = codePointLength(headline);
  if (length > WIRE_HEADLINE_MAX_CHARS) {
    throw new WireFormatError(
      "NO_HEADLINE",
      `The first line is ${length} characters long, more than the ${WIRE_HEADLINE_MAX_CHARS} a headline can have; ` +
        "it is probably body text, not a headline.",
    );
  }
}

function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) if (isLowSurrogate(text.charCodeAt(i))) length--;
  return length;
}

function looksLikeCaption(line: string): boolean {
  return FILE_MARKER_RE.test(line) || trailingCredit(line) !== null;
}

function matchDateline(paragraph: string): Dateline | null {
  const match = DATELINE_RE.exec(paragraph.slice(0, DATELINE_SCAN));
  if (match === null) return null;
  const [prefix, dateline = "", credit = "", separator = ""] = match;
  return { dateline, credit, separator, lede: paragraph.slice(prefix.length) };
}

function noDatelineError(afterHeadline: Block[]): WireFormatError {
  const places = ["the paragraph right after the headline", "the next one, in case the first is a photo caption"];
  const looked = afterHeadline
    .slice(0, 2)
    .map((block, i) => `${places[i]} (line ${block.line}: "${snippet(block.text)}")`)
    .join(" and ");
  const later = afterHeadline.slice(2).find((block) => matchDateline(block.text) !== null);
  const hint =
    later === undefined
      ? ""
      : ` A dateline appears at line ${later.line}, but at most one photo caption paragraph may come before the lede.`;
  return new WireFormatError(
    "NO_DATELINE",
    `No dateline lede such as "BAGHDAD (AP) — " or "CITY, State (AP) — " found. Looked at ${looked}.${hint}`,
  );
}

function snippet(text: string): string {
  const oneLine = text.slice(0, 200).replace(/\s+/g, " ");
  return oneLine.length > 60 ? `${oneLine.slice(0, 60)}…` : oneLine;
}

// ---------------------------------------------------------------------------
// Sentences and words
// ---------------------------------------------------------------------------

// Words that end in a period without ending the sentence: titles and months.
// State abbreviations ("Calif.") and "Jr." are left out because AP lets them
// end a sentence, their period doing double duty.
const ABBREVIATIONS = new Set([
  "Mr",
  "Mrs",
  "Ms",
  "Dr",
  "Gen",
  "Lt",
  "Col",
  "Maj",
  "Capt",
  "Sgt",
  "Cpl",
  "Pvt",
  "Spc",
  "Brig",
  "Adm",
  "Cmdr",
  "Sen",
  "Rep",
  "Gov",
  "Rev",
  "Msgr",
  "Fr",
  "Prof",
  "Supt",
  "Atty",
  "Amb",
  "Det",
  "Insp",
  "Hon",
  "St",
  "Mt",
  "Ft",
  "No",
  "vs",
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Sept",
  "Oct",
  "Nov",
  "Dec",
]);

const SENTENCE_CLOSERS = new Set(['"', RIGHT_DOUBLE, "\u2019", "'", ")", "]"]);
const SENTENCE_OPENERS = new Set(['"', LEFT_DOUBLE, "\u2018", "'", "(", "["]);

/**
 * Offsets just past each sentence's final punctuation (and closing marks).
 * A period after a known abbreviation or a single capital ("U.S.", "N.C.",
 * "J. Smith") does not end a sentence: mid-sentence initialisms are far more
 * common in news copy than sentence-final ones.
 */
function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const mark = text[i];
    if (mark !== "." && mark !== "!" && mark !== "?") continue;
    let end = i + 1;
    while (end < text.length && ".!?".includes(text[end] ?? "")) end++;
    while (end < text.length && SENTENCE_CLOSERS.has(text[end] ?? "")) end++;
    const nextStart = skipWhitespace(text, end);
    const atEnd = nextStart === text.length;
    if (atEnd || (nextStart > end && startsSentence(text[nextStart] ?? ""))) {
      if (atEnd || mark !== "." || end > i + 1 || !isAbbreviationBefore(text, i)) ends.push(end);
    }
    if (atEnd) break;
    i = end - 1;
  }
  return ends;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** The characters `\s` matches, tested without a regex because every character of a paragraph goes through here. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function startsSentence(char: string): boolean {
  return SENTENCE_OPENERS.has(char) || /[\p{Lu}\p{Nd}]/u.test(char);
}

function isAbbreviationBefore(text: string, periodIndex: number): boolean {
  let start = periodIndex;
  while (start > 0 && periodIndex - start < 12 && /\p{L}/u.test(text[start - 1] ?? "")) start--;
  const word = text.slice(start, periodIndex);
  return ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word);
}

interface Token {
  text: string;
  /** The text without surrounding punctuation, computed once: the quote rules ask for it constantly. */
  word: string;
  start: number;
  end: number;
}

/** Whitespace-separated tokens of text[from, to), at most `limit` of them. */
function tokenize(text: string, from: number, to: number, limit = Infinity): Token[] {
  const tokens: Token[] = [];
  let i = skipWhitespace(text, from);
  while (i < to && tokens.length < limit) {
    let end = i;
    while (end < to && !isWhitespace(text.charCodeAt(end))) end++;
    const token = text.slice(i, end);
    tokens.push({ text: token, word: bare(token), start: i, end });
    i = skipWhitespace(text, end);
  }
  return tokens;
}

const LEADING_PUNCTUATION = new Set(["\u201C", '"', "\u2018", "'", "(", "["]);
const TRAILING_PUNCTUATION = new Set([",", ";", ":", ".", "!", "?", "\u201D", '"', "\u2019", "'", ")", "]"]);

/** The word inside its punctuation: `“Gen.,` → `Gen`. */
function bare(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && LEADING_PUNCTUATION.has(token[start]!)) start++;
  while (end > start && TRAILING_PUNCTUATION.has(token[end - 1]!)) end--;
  return token.slice(start, end);
}

const QUOTE_MARK_RE = /[“”"]/;
const STATE_ABBREVIATIONS = new Set([
  "Ala",
  "Ariz",
  "Ark",
  "Calif",
  "Colo",
  "Conn",
  "Del",
  "Fla",
  "Ga",
  "Ill",
  "Ind",
  "Kan",
  "Ky",
  "La",
  "Md",
  "Mass",
  "Mich",
  "Minn",
  "Miss",
  "Mo",
  "Mont",
  "Neb",
  "Nev",
  "Okla",
  "Ore",
  "Pa",
  "Tenn",
  "Vt",
  "Va",
  "Wash",
  "Wis",
  "Wyo",
]);

/** A period that belongs to the word: "Gen.", "Calif.", "U.S.", "J.". */
function periodIsPartOfWord(word: string): boolean {
  return ABBREVIATIONS.has(word) || STATE_ABBREVIATIONS.has(word) || /^(?:\p{Lu}\.)*\p{Lu}$/u.test(word);
}

/** Offset where a token's text ends once trailing punctuation is dropped. */
function trimmedEnd(token: Token): number {
  const kept = token.text.replace(/[,;:!?”"’')\]]+$/u, "");
  const word = bare(kept);
  const end = kept.endsWith(".") && !periodIsPartOfWord(word) ? kept.replace(/\.+$/u, "").length : kept.length;
  return token.start + end;
}

/** Whether a token closes a phrase: it ends in a comma, colon, closing mark or a sentence period. */
function closesPhrase(token: Token): boolean {
  return trimmedEnd(token) < token.end;
}

// ---------------------------------------------------------------------------
// Captions
// ---------------------------------------------------------------------------

const FILE_MARKER_RE = /^FILE\s*(?:--|[-–—:])\s*/u;
const FILE_PHRASE_RE = /\bfile (?:photo|image|picture)\b/iu;
// "AP Photo/Name", "Photo by ...", "... via AP", "Courtesy of ...", or an
// "Agency/Photographer" pair such as "Reuters/Name".
const CREDIT_RE = /\bphotos?\b|\bvia\b|\bcourtesy\b|^[\p{L} .&-]+\/[\p{L}\p{M} .'’-]+(?:,\s*File)?$/iu;
const FILE_CREDIT_SUFFIX_RE = /,\s*File$/u;

const MONTHS: ReadonlyMap<string, number> = new Map([
  ["Jan", 1],
  ["January", 1],
  ["Feb", 2],
  ["February", 2],
  ["Mar", 3],
  ["March", 3],
  ["Apr", 4],
  ["April", 4],
  ["May", 5],
  ["Jun", 6],
  ["June", 6],
  ["Jul", 7],
  ["July", 7],
  ["Aug", 8],
  ["August", 8],
  ["Sep", 9],
  ["Sept", 9],
  ["September", 9],
  ["Oct", 10],
  ["October", 10],
  ["Nov", 11],
  ["November", 11],
  ["Dec", 12],
  ["December", 12],
]);
const MONTH_NAME =
  "January|February|March|April|May|June|July|August|September|October|November|December|" +
  String.raw`(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?`;
const DATE_RE = new RegExp(String.raw`\b(${MONTH_NAME})\s(\d{1,2}),?\s(\d{4})(?!\d)`, "u");
const DATES_RE = new RegExp(DATE_RE.source, "gu");
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const WEEKDAY_BEFORE_DATE_RE = /(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday),?\s+$/u;
const TRAILING_WHEN_RE = /,?\s*(?:on\s+)?(?:(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday),?\s*)?$/u;
const PLACE_PREPOSITION_RE = /\b(?:at|in|near)\s+(?:the\s+)?/gu;
const PLACE_PARTICLES = new Set([
  "of",
  "de",
  "del",
  "la",
  "le",
  "el",
  "al",
  "the",
  "and",
  "upon",
  "on",
  "du",
  "des",
  "da",
  "do",
  "dos",
  "das",
  "di",
]);
const ARABIC_ARTICLE_RE = /^(?:al|el|an|ad|as|ash|at|ar|az)-\p{L}/u;
// "in Bakhmut, eastern Ukraine": a region may be narrowed by a compass word.
const COMPASS_RE = /^(?:north|south|east|west|central|northeast|northwest|southeast|southwest)(?:ern)?$/u;

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
    const words = index > 0 && COMPASS_RE.test(all[0] ?? "") ? all.slice(1) : all;
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

function isCapitalisedPlaceWord(word: string): boolean {
  return /^[\p{Lu}\p{Nd}][\p{L}\p{M}\p{Nd}.'’&-]*$/u.test(word);
}

// ---------------------------------------------------------------------------
// Quotes
// ---------------------------------------------------------------------------

const SPEECH_VERBS = new Set([
  "said",
  "says",
  "say",
  "told",
  "tells",
  "added",
  "adds",
  "acknowledged",
  "acknowledges",
  "stated",
  "wrote",
  "writes",
  "explained",
  "noted",
  "notes",
  "argued",
  "insisted",
  "warned",
  "warns",
  "declared",
  "announced",
  "asked",
  "replied",
  "responded",
  "recalled",
  "tweeted",
  "posted",
  "cautioned",
  "claimed",
  "conceded",
  "admitted",
  "urged",
  "vowed",
  "promised",
  "predicted",
  "complained",
  "stressed",
  "emphasized",
  "suggested",
  "testified",
  "confirmed",
  "maintained",
  "contended",
  "observed",
  "remarked",
  "shouted",
  "yelled",
  "whispered",
  "exclaimed",
  "reported",
  "countered",
  "quipped",
  "joked",
  "continued",
]);
const SPEECH_PARTICIPLES = new Set([
  "saying",
  "adding",
  "noting",
  "telling",
  "writing",
  "declaring",
  "warning",
  "insisting",
  "stressing",
  "arguing",
  "explaining",
  "calling",
]);
// Past tenses that do not end in -ed, for "Smith met ..., saying".
const IRREGULAR_PAST = new Set([
  "met",
  "spoke",
  "took",
  "gave",
  "made",
  "held",
  "led",
  "sent",
  "won",
  "lost",
  "paid",
  "struck",
  "drew",
  "broke",
  "became",
]);
const INVERTED_ATTRIBUTION_RE = new RegExp(String.raw`^[\s,]*(?:${[...SPEECH_VERBS].join("|")})\s+`, "u");
const ACCORDING_TO_RE = /\b[Aa]ccording to\s+/;

const DETERMINERS = new Set(["the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those"]);
const PRONOUNS = new Set(["he", "she", "they", "it", "we", "i", "you"]);
// Words that start a clause or a prepositional phrase: a speaker's name
// cannot reach past them.
const CLAUSE_WORDS = new Set([
  "that",
  "and",
  "but",
  "or",
  "nor",
  "as",
  "while",
  "when",
  "because",
  "which",
  "who",
  "whom",
  "whose",
  "where",
  "if",
  "after",
  "before",
  "since",
  "so",
  "than",
  "then",
  "however",
  "meanwhile",
  "still",
  "yet",
  "also",
  "though",
  "although",
  "whereas",
  "until",
  "once",
  "in",
  "on",
  "at",
  "for",
  "with",
  "from",
  "by",
  "to",
  "into",
  "during",
  "despite",
  "amid",
  "about",
  "under",
  "over",
  "without",
  "there",
  "according",
  "adding",
  "saying",
]);
// What may stand between a subject and its verb: "Smith later said", "officials have warned".
const AUXILIARIES = new Set([
  "has",
  "had",
  "have",
  "was",
  "were",
  "is",
  "are",
  "would",
  "will",
  "could",
  "may",
  "might",
  "should",
  "also",
  "later",
  "then",
  "earlier",
  "again",
  "once",
]);
const NAME_PARTICLES = new Set([
  "al",
  "el",
  "bin",
  "ibn",
  "bint",
  "de",
  "da",
  "das",
  "do",
  "dos",
  "di",
  "du",
  "del",
  "della",
  "der",
  "den",
  "van",
  "von",
  "le",
  "la",
  "ter",
  "ten",
  "y",
  "of",
]);
// Capitalised words that follow "said" without being a speaker: "said Tuesday".
const NOT_SPEAKERS = new Set([
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
  "Today",
  "Tonight",
  "Yesterday",
  ...MONTHS.keys(),
]);
// Words that introduce a person's name rather than being part of it.
const TITLE_ABBREVIATIONS = new Set([
  "Gen",
  "Lt",
  "Col",
  "Maj",
  "Capt",
  "Sgt",
  "Cpl",
  "Pvt",
  "Spc",
  "Brig",
  "Adm",
  "Cmdr",
  "Sen",
  "Rep",
  "Gov",
  "Rev",
  "Msgr",
  "Fr",
  "Prof",
  "Supt",
  "Atty",
  "Amb",
  "Det",
  "Insp",
  "Hon",
  "Dr",
  "Mr",
  "Mrs",
  "Ms",
]);
const TITLE_WORDS = new Set([
  "President",
  "Vice",
  "Prime",
  "Minister",
  "Secretary",
  "Chancellor",
  "Premier",
  "Mayor",
  "Governor",
  "Senator",
  "Representative",
  "Ambassador",
  "Judge",
  "Justice",
  "Sheriff",
  "Chief",
  "Speaker",
  "Commissioner",
  "Director",
  "Chairman",
  "Chairwoman",
  "Chair",
  "Pope",
  "King",
  "Queen",
  "Prince",
  "Princess",
  "Sheikh",
  "Ayatollah",
  "Bishop",
  "Archbishop",
  "Cardinal",
  "Rabbi",
  "Imam",
  "Coach",
  "Officer",
  "Detective",
  "Sergeant",
  "Lieutenant",
  "Colonel",
  "Captain",
  "Major",
  "General",
  "Admiral",
  "Commander",
  "Spokesman",
  "Spokeswoman",
  "Spokesperson",
  "Attorney",
  "Prosecutor",
  "Professor",
  "Emir",
  "Sultan",
  "Deputy",
  "Councilman",
  "Councilwoman",
  "Superintendent",
  "Inspector",
]);
// A comma after a name followed by one of these is a clause, not a description of the person.
const APPOSITIVE_OPENERS = new Set([
  "who",
  "which",
  "that",
  "adding",
  "saying",
  "according",
  "noting",
  "in",
  "on",
  "at",
  "during",
  "after",
  "before",
  "while",
  "when",
  "as",
  "because",
  "speaking",
  "referring",
]);
const MAX_NAME_TOKENS = 8;
// A lowercase subject without a determiner ("police", "state officials") is
// only trusted when it is this short.
const MAX_BARE_SUBJECT_TOKENS = 3;

interface QuoteSpan {
  paragraphIndex: number;
  /** Offset of the opening mark. */
  open: number;
  start: number;
  end: number;
  /** Offset of the closing mark, or null when the quote runs to the paragraph's end. */
  close: number | null;
}

interface ScannedQuote extends QuoteSpan {
  opensParagraph: boolean;
  /** Nothing but the quote in its sentence(s), so no attribution of its own. */
  standsAlone: boolean;
  speaker: QuoteSpeaker | null;
}

/**
 * Quotes and who said them. Opening marks are “ or a straight " at the start
 * of a word; the first ” or " after it closes, so mixed pairs such as “...,"
 * work and ‘nested’ single quotes stay inside. A quote still open at the end
 * of its paragraph runs to that end (AP style: the next paragraph reopens it).
 *
 * Speaker rules, within the quote's own sentence, strongest first:
 *  1. after the quote: `, said Dana Whitlock, the county's emergency manager.`,
 *     `Alvarez said.`, `the statement said.`, `X told The Associated Press.`;
 *  2. before it: `The statement said the sides discussed “...`,
 *     `McKenzie, the top commander, acknowledged that ... “...`;
 *  3. a named subject followed by a past-tense verb that goes on `saying “...`:
 *     the subject spoke, even if the sentence also says where it was reported;
 *  4. `according to the ministry statement`: the source stands in as speaker.
 * A pronoun ("he said") names nobody: the speaker stays null unless rule 2 or
 * 3 names the subject. A quote that is a sentence on its own takes the speaker
 * of the quote beside it in its paragraph (AP starts a new paragraph for a new
 * speaker), and the parts of a quote spanning paragraphs share one speaker.
 */
export function detectQuotes(paragraphs: readonly string[]): DetectedQuote[] {
  const scanned = paragraphs.flatMap((paragraph, index) => scanParagraph(paragraph, index));
  shareSpeakers(scanned);
  return scanned.map((q) => ({
    paragraphIndex: q.paragraphIndex,
    quote: (paragraphs[q.paragraphIndex] ?? "").slice(q.start, q.end),
    speaker: q.speaker,
  }));
}

function scanParagraph(paragraph: string, paragraphIndex: number): ScannedQuote[] {
  const spans: QuoteSpan[] = [];
  const add = (open: number, close: number | null): void => {
    const end = close ?? paragraph.trimEnd().length;
    if (paragraph.slice(open + 1, end).trim() !== "") spans.push({ paragraphIndex, open, start: open + 1, end, close });
  };
  let open = -1;
  for (let i = 0; i < paragraph.length; i++) {
    const char = paragraph[i];
    if (open === -1) {
      if (char === LEFT_DOUBLE || (char === STRAIGHT_DOUBLE && opensStraightQuote(paragraph, i))) open = i;
    } else if (char === RIGHT_DOUBLE || char === STRAIGHT_DOUBLE) {
      add(open, i);
      open = -1;
    }
  }
  if (open !== -1) add(open, null);
  if (spans.length === 0) return [];
  const ends = sentenceEnds(paragraph);
  const textStart = skipWhitespace(paragraph, 0);
  return spans.map((span) => attribute(paragraph, ends, textStart, span));
}

/** A straight " opens a quote only at the start of a word, so inch marks (12") do not. */
function opensStraightQuote(text: string, i: number): boolean {
  const before = text[i - 1];
  const after = text[i + 1];
  return (before === undefined || /[\s([{—–\-/]/u.test(before)) && after !== undefined && !/\s/u.test(after);
}

/** Part of a paragraph, by offsets. */
interface Range {
  start: number;
  end: number;
}

function attribute(paragraph: string, ends: number[], textStart: number, span: QuoteSpan): ScannedQuote {
  const following = firstGreater(ends, span.open);
  const sentenceStart = skipWhitespace(paragraph, following === 0 ? 0 : ends[following - 1]!);
  const beforeStart = Math.max(sentenceStart, span.open - CONTEXT_WINDOW);
  const before: Range = { start: beforeStart, end: span.open };
  const close = span.close;
  let after: Range = { start: paragraph.length, end: paragraph.length };
  if (close !== null) {
    const sentenceEnd = ends[firstGreater(ends, close)] ?? paragraph.length;
    after = { start: close + 1, end: Math.min(sentenceEnd, close + 1 + CONTEXT_WINDOW) };
  }
  const isBlank = (range: Range): boolean => skipWhitespace(paragraph, range.start) >= range.end;
  return {
    ...span,
    opensParagraph: span.open === textStart,
    standsAlone: isBlank(before) && isBlank(after),
    speaker: findSpeaker(paragraph, before, beforeStart === sentenceStart, after),
  };
}

/** Index of the first value above `limit` in ascending `values` (binary search: a paragraph may hold thousands of quotes). */
function firstGreater(values: number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! > limit) high = middle;
    else low = middle + 1;
  }
  return low;
}

type Found = QuoteSpeaker | "pronoun" | null;

/**
 * `before` runs from the sentence start to the opening mark unless the
 * sentence is too long, in which case `atSentenceStart` is false and no rule
 * may treat its first word as the subject.
 */
function findSpeaker(paragraph: string, before: Range, atSentenceStart: boolean, after: Range): QuoteSpeaker | null {
  let beforeTokens: Token[] | null = null;
  const tokensBefore = (): Token[] => (beforeTokens ??= tokenize(paragraph, before.start, before.end));
  const rules: Array<() => Found> = [
    () => invertedAfter(paragraph, after),
    () => speakerVerbAfter(paragraph, after),
    () => speakerVerbBefore(paragraph, tokensBefore(), atSentenceStart),
    () => (atSentenceStart ? subjectSaying(paragraph, tokensBefore()) : null),
  ];
  let pronoun = false;
  for (const rule of rules) {
    const found = rule();
    if (found === "pronoun") pronoun = true;
    else if (found !== null) return found;
  }
  return pronoun ? null : (accordingTo(paragraph, after) ?? accordingTo(paragraph, before));
}

/** `, said Dana Whitlock, the county's emergency manager.` / `said the official.` */
function invertedAfter(paragraph: string, after: Range): Found {
  const verb = INVERTED_ATTRIBUTION_RE.exec(paragraph.slice(after.start, after.end));
  if (verb === null) return null;
  return phraseAfter(paragraph, after.start + verb[0].length, after.end);
}

/** `Alvarez said.` / `the statement said.` / `Smith, the mayor, told reporters.` */
function speakerVerbAfter(paragraph: string, after: Range): Found {
  const all = tokenize(paragraph, after.start, after.end, 2 * MAX_NAME_TOKENS);
  // A comma put after the closing mark (`”, Smith said`) is not part of the name.
  const tokens = all[0]?.word === "" ? all.slice(1) : all;
  const verb = tokens.findIndex(isSpeechVerb);
  if (verb < 1) return null;
  let last = verb - 1;
  while (last > 0 && isAuxiliary(tokens[last]!)) last--;
  const phrase = tokens.slice(0, last + 1);
  if (phrase.some((t) => QUOTE_MARK_RE.test(t.text))) return null;
  // "Smith, the county's emergency manager, said": the first comma ends the name.
  const comma = phrase.findIndex((t) => t.text.endsWith(","));
  const name = comma === -1 || comma === phrase.length - 1 ? phrase : phrase.slice(0, comma + 1);
  const appositive =
    name.length < phrase.length ? appositiveAt(paragraph, name[name.length - 1]!.end, trimmedEnd(phrase[phrase.length - 1]!)) : null;
  return isSubject(name) ? toSpeaker(paragraph, name, appositive) : null;
}

/** `The statement said the sides discussed “...` / `McKenzie, the top commander, acknowledged that ... “...` */
function speakerVerbBefore(paragraph: string, tokens: Token[], atSentenceStart: boolean): Found {
  let last = tokens.findIndex(isSpeechVerb) - 1;
  while (last >= 0 && isAuxiliary(tokens[last]!)) last--;
  const lastToken = tokens[last];
  if (lastToken === undefined) return null;

  let appositive: string | null = null;
  let nameLast = last;
  if (lastToken.text.endsWith(",")) {
    let opening = last - 1;
    while (opening >= 0 && !tokens[opening]!.text.endsWith(",")) opening--;
    if (opening < 0) return null;
    appositive = paragraph.slice(tokens[opening + 1]!.start, trimmedEnd(lastToken));
    nameLast = opening;
  }

  // Walk back to the start of the subject: a determiner, a clause word, a
  // comma, or the sentence start.
  let first = nameLast;
  while (!DETERMINERS.has(lowerWord(tokens[first]!))) {
    const previous = tokens[first - 1];
    if (previous === undefined) {
      if (!atSentenceStart) return null;
      break;
    }
    if (closesPhrase(previous) || QUOTE_MARK_RE.test(previous.text) || CLAUSE_WORDS.has(lowerWord(previous))) break;
    first--;
    if (nameLast - first >= MAX_NAME_TOKENS) return null;
  }
  const phrase = tokens.slice(first, nameLast + 1);
  return isSubject(phrase) ? toSpeaker(paragraph, phrase, appositive) : null;
}

/** `Al-Ghanimi praised Moscow's role ..., saying they had provided “...` */
function subjectSaying(paragraph: string, tokens: Token[]): Found {
  const participle = tokens.findIndex((t) => SPEECH_PARTICIPLES.has(t.word));
  if (participle === -1) return null;

  let count = 0;
  while (count < participle && count < MAX_NAME_TOKENS && isNameToken(tokens[count]!)) {
    count++;
    if (closesPhrase(tokens[count - 1]!)) break;
  }
  while (count > 0 && NAME_PARTICLES.has(tokens[count - 1]!.word)) count--;
  const subject = tokens.slice(0, count);
  const last = subject[subject.length - 1];
  if (last === undefined || subject.every((t) => DETERMINERS.has(lowerWord(t)))) return null;

  let verb = count;
  let appositive: string | null = null;
  if (last.text.endsWith(",")) {
    let closing = count;
    while (closing < participle && !tokens[closing]!.text.endsWith(",")) closing++;
    if (closing >= participle) return null;
    appositive = paragraph.slice(tokens[count]!.start, trimmedEnd(tokens[closing]!));
    verb = closing + 1;
  }
  while (verb < participle && isAuxiliary(tokens[verb]!)) verb++;
  const verbWord = tokens[verb]?.word ?? "";
  if (!/^\p{Ll}+ed$/u.test(verbWord) && !IRREGULAR_PAST.has(verbWord)) return null;
  return isSubject(subject) ? toSpeaker(paragraph, subject, appositive) : null;
}

/** `according to the ministry statement` */
function accordingTo(paragraph: string, range: Range): QuoteSpeaker | null {
  const match = ACCORDING_TO_RE.exec(paragraph.slice(range.start, range.end));
  if (match === null) return null;
  const found = phraseAfter(paragraph, range.start + match.index + match[0].length, range.end);
  return found === "pronoun" ? null : found;
}

/** A name or a determiner phrase starting at `from`; a name may carry an appositive. */
function phraseAfter(paragraph: string, from: number, to: number): Found {
  const tokens = tokenize(paragraph, from, to, MAX_NAME_TOKENS + 1);
  const head = tokens[0];
  if (head === undefined) return null;
  const determined = DETERMINERS.has(lowerWord(head));
  const phrase: Token[] = [];
  for (const token of tokens) {
    if (QUOTE_MARK_RE.test(token.text) || (phrase.length > 0 && CLAUSE_WORDS.has(lowerWord(token)))) break;
    if (!determined && !isNameToken(token)) break;
    phrase.push(token);
    if (closesPhrase(token)) break;
  }
  while (!determined && phrase.length > 0 && NAME_PARTICLES.has(phrase[phrase.length - 1]!.word)) phrase.pop();
  const last = phrase[phrase.length - 1];
  if (last === undefined || phrase.length > MAX_NAME_TOKENS || (determined && phrase.length === 1)) return null;
  if (!determined && NOT_SPEAKERS.has(head.word)) return null;
  // "said Smith's spokesman": the speaker is the spokesman, whom this phrase does not name.
  if (!determined && /['’]s$/u.test(last.word) && !closesPhrase(last)) return null;
  const appositive = !determined && last.text.endsWith(",") ? appositiveAt(paragraph, last.end, to) : null;
  return toSpeaker(paragraph, phrase, appositive);
}

/** The description from `from` to the next comma or the sentence end; an age ("45,") is skipped. */
function appositiveAt(paragraph: string, from: number, to: number): string | null {
  let start = from;
  for (let segment = 0; segment < 2; segment++) {
    const comma = paragraph.indexOf(",", start);
    const end = comma === -1 || comma >= to ? to : comma;
    const tokens = tokenize(paragraph, start, end);
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    if (first === undefined || last === undefined) return null;
    const isAge = tokens.length === 1 && /^\d+$/u.test(first.word);
    if (!isAge) {
      const description = paragraph.slice(first.start, trimmedEnd(last));
      return APPOSITIVE_OPENERS.has(lowerWord(first)) || QUOTE_MARK_RE.test(description) ? null : description;
    }
    start = end + 1;
  }
  return null;
}

/** A plausible grammatical subject: a name, a determiner phrase, a pronoun or a short bare noun phrase. */
function isSubject(phrase: Token[]): boolean {
  const head = phrase[0];
  if (head === undefined || phrase.length > MAX_NAME_TOKENS || CLAUSE_WORDS.has(lowerWord(head))) return false;
  if (phrase.every((t) => DETERMINERS.has(lowerWord(t)))) return false;
  return DETERMINERS.has(lowerWord(head)) || phrase.every(isNameToken) || phrase.length <= MAX_BARE_SUBJECT_TOKENS;
}

function isSpeechVerb(token: Token): boolean {
  return SPEECH_VERBS.has(token.word) && !QUOTE_MARK_RE.test(token.text);
}

function isAuxiliary(token: Token): boolean {
  const word = token.word;
  return AUXILIARIES.has(word) || /^\p{Ll}+ly$/u.test(word);
}

function lowerWord(token: Token): string {
  return token.word.toLowerCase();
}

function isNameToken(token: Token): boolean {
  if (QUOTE_MARK_RE.test(token.text)) return false;
  const word = token.word;
  return /^\p{Lu}/u.test(word) || NAME_PARTICLES.has(word) || ARABIC_ARTICLE_RE.test(word);
}

function isTitleToken(token: Token): boolean {
  const word = token.word;
  if (TITLE_ABBREVIATIONS.has(word) && token.text.startsWith(`${word}.`)) return true;
  return word.split("-").some((part) => TITLE_WORDS.has(part));
}

/**
 * A name keeps its leading title apart ("Marine Gen." + "Frank McKenzie");
 * an appositive is the title only when there is none up front. Any other
 * noun phrase ("the statement") is the speaker's whole name.
 */
function toSpeaker(paragraph: string, phrase: Token[], appositive: string | null): Found {
  const first = phrase[0]!;
  const last = phrase[phrase.length - 1]!;
  const text = paragraph.slice(first.start, trimmedEnd(last));
  if (phrase.length === 1 && PRONOUNS.has(text.toLowerCase())) return "pronoun";
  if (!phrase.every(isNameToken)) return { name: lowercaseArticle(text), title: null };
  let titleEnd = -1;
  phrase.forEach((token, i) => {
    if (i < phrase.length - 1 && isTitleToken(token)) titleEnd = i;
  });
  // "Secretary of State Antony Blinken": "of State" belongs to the title.
  if (titleEnd !== -1 && titleEnd + 3 < phrase.length && ["of", "for"].includes(phrase[titleEnd + 1]!.word)) {
    titleEnd += 2;
  }
  if (titleEnd === -1) return { name: text, title: appositive };
  return {
    name: paragraph.slice(phrase[titleEnd + 1]!.start, trimmedEnd(last)),
    title: paragraph.slice(first.start, trimmedEnd(phrase[titleEnd]!)),
  };
}

/** "The statement" opening a sentence is "the statement" anywhere else; "The Associated Press" stays. */
function lowercaseArticle(phrase: string): string {
  return /^(?:The|A|An) \p{Ll}/u.test(phrase) ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
}

/**
 * AP starts a new paragraph for a new speaker, so a quote that is a sentence
 * on its own belongs to the quote beside it in its paragraph, and a quote
 * spanning paragraphs has one speaker throughout, wherever it is named.
 */
function shareSpeakers(quotes: ScannedQuote[]): void {
  for (let i = 1; i < quotes.length; i++) {
    const previous = quotes[i - 1]!;
    const quote = quotes[i]!;
    if (quote.speaker === null && mayShareSpeaker(previous, quote, quote)) quote.speaker = previous.speaker;
  }
  for (let i = quotes.length - 2; i >= 0; i--) {
    const quote = quotes[i]!;
    const next = quotes[i + 1]!;
    if (quote.speaker === null && mayShareSpeaker(quote, next, quote)) quote.speaker = next.speaker;
  }
}

/** Whether `taker`, one of two consecutive quotes, may take the other one's speaker. */
function mayShareSpeaker(earlier: ScannedQuote, later: ScannedQuote, taker: ScannedQuote): boolean {
  const continuesIntoLater = earlier.close === null && later.paragraphIndex === earlier.paragraphIndex + 1 && later.opensParagraph;
  return continuesIntoLater || (earlier.paragraphIndex === later.paragraphIndex && taker.standsAlone);
}
