/**
 * Sentences and words of a paragraph, by offsets into it, so that everything the parser reports
 * stays an exact substring of the copy.
 */
import { ABBREVIATIONS, COMPANY_ABBREVIATIONS, NAME_SUFFIXES, STATE_ABBREVIATIONS } from "./vocabulary.js";

export const LEFT_DOUBLE = "\u201C";
export const RIGHT_DOUBLE = "\u201D";
export const STRAIGHT_DOUBLE = '"';
export const QUOTE_MARK_RE = /[“”"]/;

const SENTENCE_CLOSERS = new Set([STRAIGHT_DOUBLE, RIGHT_DOUBLE, "\u2019", "'", ")", "]"]);
const SENTENCE_OPENERS = new Set([STRAIGHT_DOUBLE, LEFT_DOUBLE, "\u2018", "'", "(", "["]);

/**
 * Offsets just past each sentence's final punctuation (and closing marks).
 * A period after a known abbreviation or a single capital ("U.S.", "N.C.",
 * "J. Smith") does not end a sentence: mid-sentence initialisms are far more
 * common in news copy than sentence-final ones.
 */
export function sentenceEnds(text: string): number[] {
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

export function skipWhitespace(text: string, from: number): number {
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

export interface Token {
  text: string;
  /** The text without surrounding punctuation, computed once: the quote rules ask for it constantly. */
  word: string;
  start: number;
  end: number;
}

/** Whitespace-separated tokens of text[from, to), at most `limit` of them. */
export function tokenize(text: string, from: number, to: number, limit = Infinity): Token[] {
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

const LEADING_PUNCTUATION = new Set([LEFT_DOUBLE, STRAIGHT_DOUBLE, "\u2018", "'", "(", "["]);
const TRAILING_PUNCTUATION = new Set([",", ";", ":", ".", "!", "?", RIGHT_DOUBLE, STRAIGHT_DOUBLE, "\u2019", "'", ")", "]"]);

/** The word inside its punctuation: `“Gen.,` → `Gen`. */
export function bare(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && LEADING_PUNCTUATION.has(token[start]!)) start++;
  while (end > start && TRAILING_PUNCTUATION.has(token[end - 1]!)) end--;
  return token.slice(start, end);
}

/** A period that belongs to the word: "Gen.", "Calif.", "Corp.", "Jr.", "U.S.", "J.". */
export function periodIsPartOfWord(word: string): boolean {
  return (
    ABBREVIATIONS.has(word) ||
    STATE_ABBREVIATIONS.has(word) ||
    COMPANY_ABBREVIATIONS.has(word) ||
    NAME_SUFFIXES.has(word) ||
    /^(?:\p{Lu}\.)*\p{Lu}$/u.test(word)
  );
}

/** Offset where a token's text ends once trailing punctuation is dropped. */
export function trimmedEnd(token: Token): number {
  const kept = token.text.replace(/[,;:!?”"’')\]]+$/u, "");
  const word = bare(kept);
  const end = kept.endsWith(".") && !periodIsPartOfWord(word) ? kept.replace(/\.+$/u, "").length : kept.length;
  return token.start + end;
}

/** Whether a token closes a phrase: it ends in a comma, colon, closing mark or a sentence period. */
export function closesPhrase(token: Token): boolean {
  return trimmedEnd(token) < token.end;
}
