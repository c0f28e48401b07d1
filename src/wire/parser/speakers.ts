/**
 * Quotes and who said them, and what anonymous sources are reported to have said. Every quote
 * and claim is an exact substring of its paragraph; a speaker is only given when the copy
 * names, describes or unambiguously points back to one.
 *
 * Speaker rules for a quote, within its own sentence, strongest first:
 *  1. after it: `, said Dana Whitlock, the county's emergency manager.`, `Alvarez said.`,
 *     `the statement said.`, `X told The Associated Press.`: only when the quote ends as an
 *     utterance does (a comma, question or exclamation mark), so a scare quote mid-sentence
 *     is not given the sentence's speaker;
 *  2. before it, by the speech verb nearest to it: `The statement said the sides discussed “...`,
 *     `Witnesses said the gunman shouted “...` (the gunman);
 *  3. a subject followed by a past-tense verb that goes on `saying “...`;
 *  4. `according to the ministry statement`.
 * Titles of works, names, signs and scare quotes get no speaker. Every sentence without a quote
 * is read too (clauses.ts): for the people it names, so a later surname or pronoun can find
 * them, and for a claim an anonymous source made, which is reported as a paraphrase.
 */
import { anonymityStatement, mentionsIn, speechClause, type ClauseSighting } from "./clauses.js";
import {
  classifyPhrase,
  isNameToken,
  MAX_NAME_TOKENS,
  readAppositive,
  withAppositive,
  type Appositive,
  type Reference,
  type Speaker,
} from "./names.js";
import { isAuxiliary, isSpeechVerb, phraseAfter, subjectBefore, type Range } from "./phrases.js";
import { isUnspokenQuote, quoteSpans, type QuoteSpan } from "./quotes.js";
import { StoryReferences, type Party } from "./references.js";
import { closesPhrase, sentenceEnds, skipWhitespace, tokenize, trimmedEnd, type Token } from "./sentences.js";
import { IRREGULAR_PAST, NAME_PARTICLES, SPEECH_PARTICIPLES, SPEECH_VERBS } from "./vocabulary.js";

export interface DetectedQuote {
  paragraphIndex: number;
  /** The words between the marks, an exact substring of the paragraph. */
  quote: string;
  speaker: Speaker | null;
}

export interface DetectedParaphrase {
  paragraphIndex: number;
  /** What the source is reported to have said, as printed: after "said (that)", or before ", said ...". */
  claim: string;
  /** Always ANONYMOUS: claims by named sources are the editor's to attribute. */
  speaker: Speaker;
}

export interface DetectedAttributions {
  quotes: DetectedQuote[];
  paraphrases: DetectedParaphrase[];
}

// Attributions sit next to their quote; a bounded window keeps a paragraph
// full of quote marks linear instead of quadratic.
const CONTEXT_WINDOW = 300;
// A sentence rarely has more attributions than this; trying more verbs is wasted work.
const VERBS_TRIED = 3;

const INVERTED_ATTRIBUTION_RE = new RegExp(String.raw`^[\s,]*(?:${[...SPEECH_VERBS].join("|")})\s+`, "u");
const ACCORDING_TO_RE = /\b[Aa]ccording to\s+/u;

interface ScannedQuote extends QuoteSpan {
  opensParagraph: boolean;
  /** Nothing but the quote in its sentence(s), so no attribution of its own. */
  standsAlone: boolean;
  /** A title, name or scare quote: nobody said it. */
  unspoken: boolean;
  party: Party | null;
}

/** What the story's references must see, in the order the copy gives it. */
type Sighting = { type: "quote"; offset: number; quote: ScannedQuote; reference: Reference | null } | ClauseSighting;

// At one offset an attribution comes before a plain mention of the same name: it says more.
const SIGHTING_ORDER: Record<Sighting["type"], number> = { quote: 0, claim: 0, mention: 1, anonymity: 2 };

export function detectAttributions(paragraphs: readonly string[]): DetectedAttributions {
  const story = new StoryReferences();
  const quotes: ScannedQuote[] = [];
  const claims: { paragraphIndex: number; claim: Range; party: Party }[] = [];
  paragraphs.forEach((paragraph, paragraphIndex) => {
    story.startParagraph();
    for (const sighting of sightingsIn(paragraph, paragraphIndex)) {
      if (sighting.type === "mention") story.mention(sighting.speaker, sighting.inQuote);
      else if (sighting.type === "anonymity") story.explainAnonymity(sighting.subject, sighting.reason);
      else if (sighting.type === "quote") {
        sighting.quote.party = sighting.reference === null ? null : story.resolve(sighting.reference);
        quotes.push(sighting.quote);
      } else {
        const party = story.resolve(sighting.reference);
        if (party !== null && sighting.claim !== null) claims.push({ paragraphIndex, claim: sighting.claim, party });
      }
    }
  });
  shareSpeakers(quotes);
  return {
    quotes: quotes.map((q) => ({
      paragraphIndex: q.paragraphIndex,
      quote: (paragraphs[q.paragraphIndex] ?? "").slice(q.start, q.end),
      speaker: q.party === null ? null : { ...q.party.speaker },
    })),
    paraphrases: claims
      .filter(({ party }) => party.speaker.kind === "ANONYMOUS")
      .map(({ paragraphIndex, claim, party }) => ({
        paragraphIndex,
        claim: (paragraphs[paragraphIndex] ?? "").slice(claim.start, claim.end),
        speaker: { ...party.speaker },
      })),
  };
}

function sightingsIn(paragraph: string, paragraphIndex: number): Sighting[] {
  const spans = quoteSpans(paragraph, paragraphIndex);
  const ends = sentenceEnds(paragraph);
  const textStart = skipWhitespace(paragraph, 0);
  const sightings: Sighting[] = spans.map((span) => quoteSighting(paragraph, ends, textStart, span));
  const bounds = ends[ends.length - 1] === paragraph.length ? ends : [...ends, paragraph.length];
  let start = textStart;
  let spanIndex = 0;
  for (const end of bounds) {
    if (start < end) {
      while (spanIndex < spans.length && quotedUntil(spans[spanIndex]!) <= start) spanIndex++;
      const tokens = tokenize(paragraph, start, end);
      const inQuote = quotedTokens(tokens, spans, spanIndex);
      sightings.push(...mentionsIn(paragraph, tokens, inQuote, end));
      const quoted = spanIndex < spans.length && spans[spanIndex]!.open < end;
      if (!quoted) {
        const clause = anonymityStatement(paragraph, tokens, end) ?? speechClause(paragraph, tokens, end);
        if (clause !== null) sightings.push(clause);
      }
    }
    start = skipWhitespace(paragraph, end);
  }
  return sightings.sort((a, b) => a.offset - b.offset || SIGHTING_ORDER[a.type] - SIGHTING_ORDER[b.type]);
}

/** Offset just past a quote's closing mark (or its paragraph's end). */
function quotedUntil(span: QuoteSpan): number {
  return (span.close ?? span.end) + 1;
}

/** Which tokens stand inside quotation marks; spans from `first` on are the ones that can hold them. */
function quotedTokens(tokens: Token[], spans: QuoteSpan[], first: number): boolean[] {
  let index = first;
  return tokens.map((token) => {
    while (index < spans.length && quotedUntil(spans[index]!) <= token.start) index++;
    const span = spans[index];
    return span !== undefined && span.open <= token.start;
  });
}

// ---------------------------------------------------------------------------
// Quotes
// ---------------------------------------------------------------------------

function quoteSighting(paragraph: string, ends: number[], textStart: number, span: QuoteSpan): Sighting {
  const following = firstGreater(ends, span.open);
  const sentenceStart = skipWhitespace(paragraph, following === 0 ? 0 : ends[following - 1]!);
  const beforeStart = Math.max(sentenceStart, span.open - CONTEXT_WINDOW);
  const before: Range = { start: beforeStart, end: span.open };
  let after: Range = { start: paragraph.length, end: paragraph.length };
  if (span.close !== null) {
    const sentenceEnd = ends[firstGreater(ends, span.close)] ?? paragraph.length;
    after = { start: span.close + 1, end: Math.min(sentenceEnd, span.close + 1 + CONTEXT_WINDOW) };
  }
  const isBlank = (range: Range): boolean => skipWhitespace(paragraph, range.start) >= range.end;
  const unspoken = isUnspokenQuote(paragraph, span);
  const quote: ScannedQuote = {
    ...span,
    opensParagraph: span.open === textStart,
    standsAlone: isBlank(before) && isBlank(after),
    unspoken,
    party: null,
  };
  const reference = unspoken ? null : findSpeaker(paragraph, span, before, beforeStart === sentenceStart, after);
  return { type: "quote", offset: span.open, quote, reference };
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

/**
 * `before` runs from the sentence start to the opening mark unless the
 * sentence is too long, in which case `atSentenceStart` is false and no rule
 * may treat its first word as the subject.
 */
function findSpeaker(paragraph: string, span: QuoteSpan, before: Range, atSentenceStart: boolean, after: Range): Reference | null {
  let beforeTokens: Token[] | null = null;
  const tokensBefore = (): Token[] => (beforeTokens ??= tokenize(paragraph, before.start, before.end));
  const utterance = endsAsUtterance(paragraph, span);
  const rules: Array<() => Reference | null> = [
    () => (utterance ? invertedAfter(paragraph, after) : null),
    () => (utterance ? speakerVerbAfter(paragraph, after) : null),
    () => speakerVerbBefore(paragraph, tokensBefore(), atSentenceStart),
    () => (atSentenceStart ? subjectSaying(paragraph, tokensBefore()) : null),
    () => accordingTo(paragraph, after),
    () => accordingTo(paragraph, before),
  ];
  for (const rule of rules) {
    const found = rule();
    if (found !== null) return found;
  }
  return null;
}

/** `“We are ready,” said ...`: an attribution after a quote follows a comma, question or exclamation mark. */
function endsAsUtterance(paragraph: string, span: QuoteSpan): boolean {
  if (/[,.!?—–-]$/u.test(paragraph.slice(span.start, span.end).trimEnd())) return true;
  return span.close !== null && /^\s*,/u.test(paragraph.slice(span.close + 1, span.close + 4));
}

/** `, said Dana Whitlock, the county's emergency manager.` / `said the official.` */
function invertedAfter(paragraph: string, after: Range): Reference | null {
  const verb = INVERTED_ATTRIBUTION_RE.exec(paragraph.slice(after.start, after.end));
  return verb === null ? null : phraseAfter(paragraph, after.start + verb[0].length, after.end);
}

/** `Alvarez said.` / `the statement said.` / `Smith, the mayor, told reporters.` */
function speakerVerbAfter(paragraph: string, after: Range): Reference | null {
  const all = tokenize(paragraph, after.start, after.end, 2 * MAX_NAME_TOKENS);
  // A comma put after the closing mark (`”, Smith said`) is not part of the name.
  const tokens = all[0]?.word === "" ? all.slice(1) : all;
  const verb = tokens.findIndex(isSpeechVerb);
  if (verb < 1) return null;
  const subject = subjectBefore(paragraph, tokens, verb, { reachesStart: true, opensSentence: false });
  if (subject?.first !== 0) return null;
  // "the official said, speaking on condition of anonymity because ...".
  const verbToken = tokens[verb]!;
  return verbToken.text.endsWith(",")
    ? withAppositive(subject.reference, readAppositive(paragraph, verbToken.end, after.end, false))
    : subject.reference;
}

/** `The statement said the sides discussed “...` / `McKenzie, the top commander, acknowledged that ... “...` */
function speakerVerbBefore(paragraph: string, tokens: Token[], atSentenceStart: boolean): Reference | null {
  let tried = 0;
  for (let verb = tokens.length - 1; verb >= 0 && tried < VERBS_TRIED; verb--) {
    if (!isSpeechVerb(tokens[verb]!)) continue;
    tried++;
    const subject = subjectBefore(paragraph, tokens, verb, { reachesStart: atSentenceStart, opensSentence: atSentenceStart });
    if (subject !== null) return subject.reference;
  }
  return null;
}

/** `Al-Ghanimi praised Moscow's role ..., saying they had provided “...` */
function subjectSaying(paragraph: string, tokens: Token[]): Reference | null {
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
  if (last === undefined) return null;

  let verb = count;
  let appositive: Appositive | null = null;
  if (last.text.endsWith(",")) {
    let closing = count;
    while (closing < participle && !tokens[closing]!.text.endsWith(",")) closing++;
    if (closing >= participle) return null;
    appositive = readAppositive(paragraph, last.end, trimmedEnd(tokens[closing]!), false);
    verb = closing + 1;
  }
  while (verb < participle && isAuxiliary(tokens[verb]!)) verb++;
  const verbWord = tokens[verb]?.word ?? "";
  if (!/^\p{Ll}+ed$/u.test(verbWord) && !IRREGULAR_PAST.has(verbWord)) return null;
  const reference = classifyPhrase(paragraph, subject, true);
  return reference === null || appositive === null ? reference : withAppositive(reference, appositive);
}

/** `according to the ministry statement` */
function accordingTo(paragraph: string, range: Range): Reference | null {
  const match = ACCORDING_TO_RE.exec(paragraph.slice(range.start, range.end));
  return match === null ? null : phraseAfter(paragraph, range.start + match.index + match[0].length, range.end);
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
    if (quote.party === null && mayShareSpeaker(previous, quote, quote)) quote.party = previous.party;
  }
  for (let i = quotes.length - 2; i >= 0; i--) {
    const quote = quotes[i]!;
    const next = quotes[i + 1]!;
    if (quote.party === null && mayShareSpeaker(quote, next, quote)) quote.party = next.party;
  }
}

/** Whether `taker`, one of two consecutive quotes, may take the other one's speaker. */
function mayShareSpeaker(earlier: ScannedQuote, later: ScannedQuote, taker: ScannedQuote): boolean {
  if (earlier.unspoken || later.unspoken) return false;
  const continuesIntoLater = earlier.close === null && later.paragraphIndex === earlier.paragraphIndex + 1 && later.opensParagraph;
  return continuesIntoLater || (earlier.paragraphIndex === later.paragraphIndex && taker.standsAlone);
}
