/**
 * Sentences without quotes: the people they name, so that a later surname or pronoun can find
 * them, and the claim a speech clause attributes, which is reported when its source turns out
 * to be anonymous ("Two diplomats said the talks had stalled. They spoke on condition of
 * anonymity because ...").
 */
import {
  classifyPhrase,
  isDetermined,
  isNameToken,
  lowerWord,
  NO_APPOSITIVE,
  personNoun,
  readAppositive,
  withAppositive,
  type Reference,
  type Speaker,
} from "./names.js";
import { isSpeechVerb, phraseAfter, subjectBefore, type Range } from "./phrases.js";
import { closesPhrase, QUOTE_MARK_RE, trimmedEnd, type Token } from "./sentences.js";
import {
  ANONYMITY_RE,
  AUXILIARIES,
  CLAUSE_WORDS,
  NOT_SPEAKERS,
  PLACE_PREPOSITIONS,
  PLACE_WORDS,
  POINTING_BACK,
  PREPOSITIONS,
  PRONOUNS,
  SPEECH_VERBS,
} from "./vocabulary.js";

/** What a sentence without quotes tells the story's references. */
export type ClauseSighting =
  | { type: "claim"; offset: number; reference: Reference; claim: Range | null }
  | { type: "anonymity"; offset: number; subject: Reference; reason: string }
  | { type: "mention"; offset: number; speaker: Speaker; inQuote: boolean };

// How far a claim's "that" may stand from its verb: "told The Associated Press on Tuesday that".
const THAT_REACH = 8;

/**
 * The people a sentence names: a run of capitalised words that makes a person's name (after
 * any title), with the descriptor before it and the appositive after it. Places and
 * organisations are left out, so they do not keep a pronoun from finding its person.
 */
export function mentionsIn(paragraph: string, tokens: Token[], inQuote: boolean[], sentenceEnd: number): ClauseSighting[] {
  const sightings: ClauseSighting[] = [];
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

/**
 * "They spoke on condition of anonymity because ...": a sentence whose subject points back to
 * an unnamed speaker and whose predicate says why the speaker is not named.
 */
export function anonymityStatement(paragraph: string, tokens: Token[], sentenceEnd: number): ClauseSighting | null {
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
export function speechClause(paragraph: string, tokens: Token[], sentenceEnd: number): ClauseSighting | null {
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
    const claimFirst = comma?.text.endsWith(",") === true;
    // "<claim>, a senior official said on condition of anonymity.": the rest of the sentence is the reason.
    const rest = claimFirst ? paragraph.slice(token.end, sentenceEnd).trim().replace(/\.$/u, "") : "";
    const anonymityReason = after.anonymityReason ?? (ANONYMITY_RE.test(rest) ? rest : null);
    const claim = claimFirst ? claimBefore(comma!) : after.claim;
    const reference =
      anonymityReason === null ? subject.reference : withAppositive(subject.reference, { ...NO_APPOSITIVE, anonymityReason });
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
