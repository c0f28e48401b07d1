/**
 * Where the quotation marks of a paragraph open and close, and which quoted words nobody spoke:
 * titles of works, names, signs and scare quotes.
 */
import { LEFT_DOUBLE, RIGHT_DOUBLE, STRAIGHT_DOUBLE, tokenize } from "./sentences.js";
import { TITLE_CASE_MINOR_WORDS } from "./vocabulary.js";

export interface QuoteSpan {
  paragraphIndex: number;
  /** Offset of the opening mark. */
  open: number;
  /** The quoted words: paragraph.slice(start, end). */
  start: number;
  end: number;
  /** Offset of the closing mark, or null when the quote runs to the paragraph's end. */
  close: number | null;
}

/**
 * Opening marks are “ or a straight " at the start of a word; the first ” or " after it closes,
 * so mixed pairs such as “...," work and ‘nested’ single quotes stay inside. A quote still open
 * at the end of its paragraph runs to that end (AP style: the next paragraph reopens it).
 */
export function quoteSpans(paragraph: string, paragraphIndex: number): QuoteSpan[] {
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
  return spans;
}

/** A straight " opens a quote only at the start of a word, so inch marks (12") do not. */
function opensStraightQuote(text: string, i: number): boolean {
  const before = text[i - 1];
  const after = text[i + 1];
  return (before === undefined || /[\s([{—–\-/]/u.test(before)) && after !== undefined && !/\s/u.test(after);
}

// Titles of works and names are short; speech this short in title case is rare.
const MAX_TITLE_WORDS = 8;

/**
 * Words in quotation marks that nobody said: a scare quote after "so-called", or a title, name
 * or sign in title case ("The Weight of Water,", “The Rock”, “No More Cuts”). A one-word quote
 * only counts as a name when nothing but a mark follows it, so “Yes,” stays speech.
 */
export function isUnspokenQuote(paragraph: string, span: QuoteSpan): boolean {
  if (/\bso-called\s*$/iu.test(paragraph.slice(Math.max(0, span.open - 12), span.open))) return true;
  const tokens = tokenize(paragraph, span.start, span.end, MAX_TITLE_WORDS + 1);
  if (tokens.length === 0 || tokens.length > MAX_TITLE_WORDS) return false;
  const words = paragraph.slice(span.start, span.end).trimEnd();
  const punctuation = /[.!?;:]$/u.test(words) || (tokens.length === 1 && words.endsWith(","));
  const titleCase = tokens.every((t, i) => /^[\p{Lu}\p{Nd}]/u.test(t.word) || (i > 0 && TITLE_CASE_MINOR_WORDS.has(t.word)));
  return titleCase && !punctuation;
}
