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
 * is read too: for the people it names (so a later surname or pronoun can find them) and for a
 * claim an anonymous source made, which is reported as a paraphrase.
 */
import {
  ANONYMITY_RE,
  classifyPhrase,
  describedName,
  isDetermined,
  isNameToken,
  lowerWord,
  MAX_NAME_TOKENS,
  NO_APPOSITIVE,
  personNoun,
  readAppositive,
  withAppositive,
  type Appositive,
  type Reference,
  type Speaker,
} from "./names.js";
import { isUnspokenQuote, quoteSpans, type QuoteSpan } from "./quotes.js";
import { StoryReferences, type Party } from "./references.js";
import { closesPhrase, QUOTE_MARK_RE, sentenceEnds, skipWhitespace, tokenize, trimmedEnd, type Token } from "./sentences.js";
import {
  AUXILIARIES,
  CLAUSE_WORDS,
  DESCRIPTION_PREPOSITIONS,
  IRREGULAR_PAST,
  NAME_PARTICLES,
  NOT_SPEAKERS,
  NOUNS_ENDING_IN_LY,
  PLACE_PREPOSITIONS,
  PLACE_WORDS,
  PREPOSITION_TAKING_ADJECTIVES,
  PREPOSITIONS,
  PRONOUNS,
  SPEECH_PARTICIPLES,
  SPEECH_VERBS,
} from "./vocabulary.js";

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
// How far a claim's "that" may stand from its verb: "told The Associated Press on Tuesday that".
const THAT_REACH = 8;
// A sentence rarely has more attributions than this; trying more verbs is wasted work.
const VERBS_TRIED = 3;
// How many words an appositive between a subject and its verb may have.
const APPOSITIVE_REACH = 40;

const INVERTED_ATTRIBUTION_RE = new RegExp(String.raw`^[\s,]*(?:${[...SPEECH_VERBS].join("|")})\s+`, "u");
const ACCORDING_TO_RE = /\b[Aa]ccording to\s+/u;

/** Part of a paragraph, by offsets. */
interface Range {
  start: number;
  end: number;
}

interface ScannedQuote extends QuoteSpan {
  opensParagraph: boolean;
  /** Nothing but the quote in its sentence(s), so no attribution of its own. */
  standsAlone: boolean;
  /** A title, name or scare quote: nobody said it. */
  unspoken: boolean;
  party: Party | null;
}

/** What the story's references must see, in the order the copy gives it. */
type Sighting =
  | { type: "quote"; offset: number; quote: ScannedQuote; reference: Reference | null }
  | { type: "claim"; offset: number; reference: Reference; claim: Range | null }
  | { type: "anonymity"; offset: number; subject: Reference; reason: string }
  | { type: "mention"; offset: number; speaker: Speaker; inQuote: boolean };

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
  return subject?.first === 0 ? subject.reference : null;
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

// ---------------------------------------------------------------------------
// Subjects and phrases
// ---------------------------------------------------------------------------

interface SubjectPlace {
  /** The tokens begin where a subject may begin (a sentence start, or right after a quote). */
  reachesStart: boolean;
  /** The first token opens a sentence, so its capital says nothing. */
  opensSentence: boolean;
}

/**
 * The subject of the speech verb at `verb`, with any appositive between it and the verb
 * ("Keiko Tanaka, the museum's curator, said"; "Her lawyer, Benjamin Osei, said").
 */
function subjectBefore(
  paragraph: string,
  tokens: Token[],
  verb: number,
  place: SubjectPlace,
): { reference: Reference; first: number } | null {
  let last = verb - 1;
  while (last >= 0 && isAuxiliary(tokens[last]!) && !closesPhrase(tokens[last]!)) last--;
  const lastToken = tokens[last];
  if (lastToken === undefined) return null;
  const opens = (first: number): boolean => first === 0 && place.opensSentence;
  if (!lastToken.text.endsWith(",")) {
    const first = subjectStart(tokens, last, place.reachesStart);
    const reference = first === null ? null : classifyPhrase(paragraph, tokens.slice(first, last + 1), opens(first));
    return reference === null || first === null ? null : { reference, first };
  }
  // The comma nearest the verb closes the appositive; the one that opens it is found by trying
  // the commas before it, nearest first, for a subject that makes sense of what follows.
  let tried = 0;
  for (let comma = last - 1; comma >= Math.max(0, last - APPOSITIVE_REACH) && tried < 4; comma--) {
    if (!tokens[comma]!.text.endsWith(",")) continue;
    tried++;
    const first = subjectStart(tokens, comma, place.reachesStart);
    if (first === null) continue;
    const head = classifyPhrase(paragraph, tokens.slice(first, comma + 1), opens(first));
    if (head === null) continue;
    const appositive = readAppositive(paragraph, tokens[comma]!.end, trimmedEnd(lastToken), head.type === "description");
    const reference = appositive.name === null ? withAppositive(head, appositive) : describedName(paragraph, head, appositive.name);
    if (reference !== null) return { reference, first };
  }
  return null;
}

/**
 * Where the subject ending at `last` starts: at a determiner, or after a comma, quote, clause
 * word or another verb. A phrase after a preposition is its object, not a subject.
 */
function subjectStart(tokens: Token[], last: number, reachesStart: boolean): number | null {
  let first = last;
  for (;;) {
    const token = tokens[first]!;
    const previous = tokens[first - 1];
    const previousWord = previous === undefined ? "" : lowerWord(previous);
    // "familiar with the plans": a determiner after a preposition inside a description is part of it.
    if (isDetermined(token) && !(previous !== undefined && continuesDescription(tokens, first - 1))) return first;
    if (previous === undefined) return reachesStart ? first : null;
    if (closesPhrase(previous) || QUOTE_MARK_RE.test(previous.text) || isSpeechVerb(previous) || isAuxiliary(previous)) return first;
    if (!continuesDescription(tokens, first - 1)) {
      if (PREPOSITIONS.has(previousWord)) return null;
      if (CLAUSE_WORDS.has(previousWord)) return first;
    }
    first--;
    if (last - first >= MAX_NAME_TOKENS + 2) return null;
  }
}

/**
 * The speaker named after a verb or "according to": a name (stopping at the first word that is
 * not part of it), or a description up to a clause ("a person familiar with the plans who ...").
 * `endsSentence`: nothing but an appositive or a who-clause may follow the phrase.
 */
function phraseAfter(paragraph: string, from: number, to: number, endsSentence = false): Reference | null {
  const tokens = tokenize(paragraph, from, to, MAX_NAME_TOKENS + 3);
  const head = tokens[0];
  if (head === undefined || NOT_SPEAKERS.has(head.word) || CLAUSE_WORDS.has(lowerWord(head))) return null;
  const bareName = isNameToken(head) && !isDetermined(head);
  const phrase: Token[] = [];
  let next: Token | undefined;
  for (const [i, token] of tokens.entries()) {
    const word = lowerWord(token);
    const endsHere =
      QUOTE_MARK_RE.test(token.text) ||
      (phrase.length > 0 &&
        (NOT_SPEAKERS.has(token.word) ||
          (CLAUSE_WORDS.has(word) && (bareName || !continuesDescription(tokens, i))) ||
          (bareName && !isNameToken(token) && !descriptorBeforeName(tokens, i))));
    if (endsHere) {
      next = token;
      break;
    }
    phrase.push(token);
    if (closesPhrase(token)) break;
  }
  while (bareName && phrase.length > 0 && NAME_PARTICLES.has(phrase[phrase.length - 1]!.word)) phrase.pop();
  const last = phrase[phrase.length - 1];
  if (last === undefined) return null;
  const isWho = next !== undefined && lowerWord(next) === "who";
  if (endsSentence && next !== undefined && !isWho) return null;
  const reference = classifyPhrase(paragraph, phrase, false);
  if (reference === null) return null;
  // "said the official, who ..." or "said a senior official who spoke on condition of anonymity".
  const appositiveFrom = last.text.endsWith(",") ? last.end : isWho ? next!.start : null;
  if (appositiveFrom === null) return reference;
  const appositive = readAppositive(paragraph, appositiveFrom, to, reference.type === "description");
  return appositive.name === null ? withAppositive(reference, appositive) : describedName(paragraph, reference, appositive.name);
}

/**
 * Whether the preposition at `i` belongs to a description: "a resident of Springfield",
 * "a person close to the family", "two people briefed on the matter". After a plain noun, other
 * prepositions start an adverbial instead: "the official in an interview".
 */
function continuesDescription(tokens: Token[], i: number): boolean {
  const word = lowerWord(tokens[i]!);
  if (DESCRIPTION_PREPOSITIONS.has(word)) return true;
  const before = tokens[i - 1];
  if (!PREPOSITIONS.has(word) || before === undefined || closesPhrase(before)) return false;
  const beforeWord = lowerWord(before);
  return PREPOSITION_TAKING_ADJECTIVES.has(beforeWord) || /^\p{Ll}+ed$/u.test(before.word);
}

/** "U.N. spokesman Pierre Lavallée": lowercase words between a capitalised modifier and the name they describe. */
function descriptorBeforeName(tokens: Token[], i: number): boolean {
  for (let j = i; j < Math.min(tokens.length, i + 3); j++) {
    const token = tokens[j]!;
    if (closesPhrase(token) || CLAUSE_WORDS.has(lowerWord(token)) || NOT_SPEAKERS.has(token.word)) return false;
    if (isNameToken(token) && /^\p{Lu}/u.test(token.word)) return j > i;
  }
  return false;
}

function isSpeechVerb(token: Token): boolean {
  return SPEECH_VERBS.has(token.word) && !QUOTE_MARK_RE.test(token.text);
}

/** "has", "would", "later", or an adverb: what may stand between a subject and its verb. */
function isAuxiliary(token: Token): boolean {
  const word = token.word;
  return AUXILIARIES.has(word) || (/^\p{Ll}+ly$/u.test(word) && !NOUNS_ENDING_IN_LY.has(word));
}

// ---------------------------------------------------------------------------
// Sentences without quotes
// ---------------------------------------------------------------------------

/**
 * The people a sentence names: a run of capitalised words that makes a person's name (after
 * any title), with the descriptor before it and the appositive after it. Places and
 * organisations are left out, so they do not keep a pronoun from finding its person.
 */
function mentionsIn(paragraph: string, tokens: Token[], inQuote: boolean[], sentenceEnd: number): Sighting[] {
  const sightings: Sighting[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!startsName(tokens[i]!)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < tokens.length && !closesPhrase(tokens[end - 1]!) && continuesName(tokens[end]!) && inQuote[end] === inQuote[i]) end++;
    const speaker = personNamed(paragraph, tokens, i, end, sentenceEnd);
    if (speaker !== null) sightings.push({ type: "mention", offset: tokens[i]!.start, speaker, inQuote: inQuote[i]! });
    i = end;
  }
  return sightings;
}

function startsName(token: Token): boolean {
  return /^\p{Lu}/u.test(token.word) && !NOT_SPEAKERS.has(token.word) && !QUOTE_MARK_RE.test(token.text.slice(1));
}

/** A name may go on up to a closing quote mark: “Nobody works harder than Rosa Delgado,”. */
function continuesName(token: Token): boolean {
  const closesQuote = /^\p{Lu}/u.test(token.word) && /^[^“”"]+[”"]$/u.test(token.text);
  return (isNameToken(token) || closesQuote) && !NOT_SPEAKERS.has(token.word);
}

function personNamed(paragraph: string, tokens: Token[], start: number, end: number, sentenceEnd: number): Speaker | null {
  let last = end;
  while (last > start + 1 && !/^\p{Lu}/u.test(tokens[last - 1]!.word)) last--;
  const run = tokens.slice(start, last).map(withoutClosingMark);
  const finalWord = run[run.length - 1]!.word.replace(/['’]s$/u, "");
  if (PLACE_WORDS.has(finalWord) || PLACE_PREPOSITIONS.has(lowerWord(tokens[start - 1] ?? run[0]!))) return null;
  const reference = classifyPhrase(paragraph, run, start === 0);
  if (reference?.type !== "name" || reference.speaker.kind !== "PERSON") return null;
  let speaker = reference.speaker;
  if (speaker.title === null) speaker = { ...speaker, title: descriptorBefore(paragraph, tokens, start) };
  const lastToken = run[run.length - 1]!;
  if (last === end && lastToken.text.endsWith(",")) {
    const named = withAppositive({ type: "name", speaker }, readAppositive(paragraph, lastToken.end, sentenceEnd, false));
    if (named.type === "name") speaker = named.speaker;
  }
  return speaker;
}

/** `Delgado,”` as `Delgado,`: a name inside a quote may end where the quote does. */
function withoutClosingMark(token: Token): Token {
  const text = token.text.replace(/[”"]+$/u, "");
  return text === token.text ? token : { ...token, text, end: token.start + text.length };
}

/** "prosecutor Daniel Reyes", "Former county treasurer Glenn Dorsey": lowercase words ending in a noun for a person. */
function descriptorBefore(paragraph: string, tokens: Token[], nameStart: number): string | null {
  const noun = tokens[nameStart - 1];
  if (noun === undefined || closesPhrase(noun) || personNoun(lowerWord(noun))?.plural !== false) return null;
  if (/^\p{Lu}/u.test(noun.word) && nameStart - 1 !== 0) return null;
  let first = nameStart - 1;
  while (first > 0 && nameStart - first < 4 && isDescriptorWord(tokens[first - 1]!, first - 1 === 0)) first--;
  return paragraph.slice(tokens[first]!.start, trimmedEnd(noun));
}

function isDescriptorWord(token: Token, opensSentence: boolean): boolean {
  const word = lowerWord(token);
  return (
    !closesPhrase(token) &&
    !QUOTE_MARK_RE.test(token.text) &&
    (/^\p{Ll}/u.test(token.word) || opensSentence) &&
    !CLAUSE_WORDS.has(word) &&
    !isDetermined(token) &&
    !SPEECH_VERBS.has(word) &&
    !AUXILIARIES.has(word) &&
    !/(?:ed|ing|ly)$/u.test(word)
  );
}

/** Words that make a subject point back to speakers already met: "the officials", "both". */
const POINTING_BACK = new Set(["the", "both", "all", "each"]);

/**
 * "They spoke on condition of anonymity because ...": a sentence whose subject points back to
 * an unnamed speaker and whose predicate says why the speaker is not named.
 */
function anonymityStatement(paragraph: string, tokens: Token[], sentenceEnd: number): Sighting | null {
  const first = tokens[0];
  if (first === undefined) return null;
  let subjectEnd = 0;
  if (PRONOUNS.has(lowerWord(first))) subjectEnd = 1;
  else if (POINTING_BACK.has(lowerWord(first))) {
    const noun = tokens.slice(1, 4).findIndex((t) => personNoun(lowerWord(t)) !== null);
    subjectEnd = noun === -1 ? 0 : noun + 2;
  }
  const predicate = tokens[subjectEnd];
  if (subjectEnd === 0 || predicate === undefined || isSpeechVerb(predicate)) return null;
  const reason = paragraph.slice(predicate.start, sentenceEnd).trimEnd().replace(/\.$/u, "");
  if (!ANONYMITY_RE.test(reason)) return null;
  const subject = classifyPhrase(paragraph, tokens.slice(0, subjectEnd), true);
  return subject === null ? null : { type: "anonymity", offset: first.start, subject, reason };
}

/**
 * The attribution of a sentence without quotes, and the claim it attributes: `<subject> said
 * (that) <claim>.`, `<claim>, said <speaker>.`, `<claim>, according to <speaker>.`
 */
function speechClause(paragraph: string, tokens: Token[], sentenceEnd: number): Sighting | null {
  const claimBefore = (comma: Token): Range => ({ start: tokens[0]!.start, end: trimmedEnd(comma) });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    if (lowerWord(token) === "according" && tokens[i + 1]?.word === "to") {
      const reference = phraseAfter(paragraph, tokens[i + 1]!.end, sentenceEnd);
      if (reference === null) continue;
      const claim = previous?.text.endsWith(",") ? claimBefore(previous) : null;
      return { type: "claim", offset: token.start, reference, claim };
    }
    if (!isSpeechVerb(token)) continue;
    const subject = subjectBefore(paragraph, tokens, i, { reachesStart: true, opensSentence: true });
    if (subject === null) {
      // "<claim>, said <speaker>." The speaker must end the sentence, or "said the agency would ..." would count.
      const reference = previous?.text.endsWith(",") ? phraseAfter(paragraph, token.end, sentenceEnd, true) : null;
      if (reference !== null) return { type: "claim", offset: token.start, reference, claim: claimBefore(previous!) };
      continue;
    }
    const comma = tokens[subject.first - 1];
    const after = claimAfter(paragraph, tokens, i, sentenceEnd);
    const claim = comma?.text.endsWith(",") ? claimBefore(comma) : after.claim;
    const reference =
      after.anonymityReason === null
        ? subject.reference
        : withAppositive(subject.reference, { ...NO_APPOSITIVE, anonymityReason: after.anonymityReason });
    return { type: "claim", offset: tokens[subject.first]!.start, reference, claim };
  }
  return null;
}

/**
 * What follows a speech verb: the claim after "(that)", and a reason for anonymity given between
 * the verb and its claim ("said on condition of anonymity that ...").
 */
function claimAfter(
  paragraph: string,
  tokens: Token[],
  verb: number,
  sentenceEnd: number,
): { claim: Range | null; anonymityReason: string | null } {
  const that = tokens.slice(verb + 1, verb + 1 + THAT_REACH).findIndex((t) => lowerWord(t) === "that");
  const between = that === -1 ? [] : tokens.slice(verb + 1, verb + 1 + that);
  const betweenText = between.length === 0 ? "" : paragraph.slice(between[0]!.start, trimmedEnd(between[between.length - 1]!));
  const anonymityReason = ANONYMITY_RE.test(betweenText) ? betweenText : null;
  const told = ["told", "tells"].includes(tokens[verb]!.word);
  let claimStart = verb + 1;
  // "told reporters that": whom the source told is not part of the claim.
  if (that !== -1 && (told || between.length === 0 || anonymityReason !== null || isAdverbial(between))) claimStart = verb + 2 + that;
  else if (told) return { claim: null, anonymityReason };
  while (claimStart < tokens.length && NOT_SPEAKERS.has(tokens[claimStart]!.word)) claimStart++;
  const first = tokens[claimStart];
  if (first === undefined) return { claim: null, anonymityReason };
  const end = first.start + paragraph.slice(first.start, sentenceEnd).trimEnd().length;
  return { claim: { start: first.start, end }, anonymityReason };
}

/** "Tuesday", "on Tuesday", "in a statement": when the speaker spoke, not what they said. */
function isAdverbial(tokens: Token[]): boolean {
  const first = tokens[0]!;
  return NOT_SPEAKERS.has(first.word) || PREPOSITIONS.has(lowerWord(first));
}
