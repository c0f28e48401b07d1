/**
 * The parts of a wire story: headline line, optional photo caption paragraph, dateline lede
 * ("BAGHDAD (AP) — ...") and body paragraphs, each kept exactly as filed. Text that is not such
 * a story is refused with a WireFormatError that says what is wrong and where.
 */
import { looksLikeCaption } from "./caption.js";
import { PLACE_PARTICLES } from "./vocabulary.js";

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

export interface WireStructure {
  headline: string;
  dateline: string;
  credit: string;
  /** Exactly what stood between "(AP)" and the lede text, e.g. " — ". */
  datelineSeparator: string;
  /** The photo caption paragraph before the lede, if any. */
  caption: string | null;
  /** Body paragraphs verbatim; the first is the lede without its dateline prefix. */
  paragraphs: string[];
}

// Decoding errors and a stray control character happen in real copy; binary
// data decoded as text is far denser in them than this.
const MAX_CONTROL_SHARE = 0.05;

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
const PLACE_WORD = String.raw`(?:\p{Lu}[\p{L}\p{M}\p{Nd}.'’&/-]{0,30}|${[...PLACE_PARTICLES].join("|")})`;
const PLACE = String.raw`\p{Lu}[\p{L}\p{M}\p{Nd}.'’&/-]{0,30}(?: ${PLACE_WORD}){0,5}`;
// Bounded, comma-free place words keep this anchored pattern from backtracking;
// it only ever sees the first DATELINE_SCAN characters of a paragraph.
const DATELINE_RE = new RegExp(
  String.raw`^(${PLACE}(?:, ${PLACE}){0,2}) \((\p{Lu}[\p{L}\p{N}.&'’ -]{0,39}|dpa)\)(\s*(?:—|–|--|-)\s*)`,
  "u",
);
const DATELINE_SCAN = 400;

/** Splits wire text into its parts, or throws a WireFormatError saying why it is not a wire story. */
export function parseStructure(text: string): WireStructure {
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
  let caption: string | null = null;
  let ledeIndex = 0;
  let dateline = matchDateline(first.text);
  if (dateline === null && second !== undefined) {
    dateline = matchDateline(second.text);
    if (dateline !== null) {
      caption = first.text;
      ledeIndex = 1;
    }
  }
  if (dateline === null) throw noDatelineError(rest);
  if (dateline.lede.trim() === "") {
    throw new WireFormatError("NO_BODY", `The dateline "${dateline.dateline} (${dateline.credit})" is not followed by any story text.`);
  }

  return {
    headline,
    dateline: dateline.dateline,
    credit: dateline.credit,
    datelineSeparator: dateline.separator,
    caption,
    paragraphs: [dateline.lede, ...rest.slice(ledeIndex + 1).map((block) => block.text)],
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
