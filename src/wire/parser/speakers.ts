/**
 * Quotes and who said them. Every quote is an exact substring of its paragraph; a speaker is
 * only named when the copy names one.
 */
import {
  closesPhrase,
  LEFT_DOUBLE,
  QUOTE_MARK_RE,
  RIGHT_DOUBLE,
  sentenceEnds,
  skipWhitespace,
  STRAIGHT_DOUBLE,
  tokenize,
  trimmedEnd,
  type Token,
} from "./sentences.js";
import {
  APPOSITIVE_OPENERS,
  ARABIC_ARTICLE_RE,
  AUXILIARIES,
  CLAUSE_WORDS,
  DETERMINERS,
  IRREGULAR_PAST,
  NAME_PARTICLES,
  NOT_SPEAKERS,
  PRONOUNS,
  SPEECH_PARTICIPLES,
  SPEECH_VERBS,
  TITLE_ABBREVIATIONS,
  TITLE_WORDS,
} from "./vocabulary.js";

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

// Attributions sit next to their quote; a bounded window keeps a paragraph
// full of quote marks linear instead of quadratic.
const CONTEXT_WINDOW = 300;

const INVERTED_ATTRIBUTION_RE = new RegExp(String.raw`^[\s,]*(?:${[...SPEECH_VERBS].join("|")})\s+`, "u");
const ACCORDING_TO_RE = /\b[Aa]ccording to\s+/;
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
