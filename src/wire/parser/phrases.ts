/**
 * Reading the phrase that names a speaker around a speech verb: the subject before the verb
 * with any appositive ("Keiko Tanaka, the museum's curator, said"), or the name or description
 * after it ("said a senior official who spoke on condition of anonymity"). Every read is on a
 * bounded number of words.
 */
import {
  classifyPhrase,
  describedName,
  isDetermined,
  isNameToken,
  lowerWord,
  MAX_NAME_TOKENS,
  readAppositive,
  withAppositive,
  type Reference,
} from "./names.js";
import { closesPhrase, QUOTE_MARK_RE, tokenize, trimmedEnd, type Token } from "./sentences.js";
import {
  AUXILIARIES,
  CLAUSE_WORDS,
  DESCRIPTION_PREPOSITIONS,
  NAME_PARTICLES,
  NOT_SPEAKERS,
  NOUNS_ENDING_IN_LY,
  PREPOSITION_TAKING_ADJECTIVES,
  PREPOSITIONS,
  SPEECH_VERBS,
} from "./vocabulary.js";

/** Part of a paragraph, by offsets. */
export interface Range {
  start: number;
  end: number;
}

// How many words an appositive between a subject and its verb may have.
const APPOSITIVE_REACH = 40;

export interface SubjectPlace {
  /** The tokens begin where a subject may begin (a sentence start, or right after a quote). */
  reachesStart: boolean;
  /** The first token opens a sentence, so its capital says nothing. */
  opensSentence: boolean;
}

/**
 * The subject of the speech verb at `verb`, with any appositive between it and the verb
 * ("Keiko Tanaka, the museum's curator, said"; "Her lawyer, Benjamin Osei, said").
 */
export function subjectBefore(
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
export function phraseAfter(paragraph: string, from: number, to: number, endsSentence = false): Reference | null {
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
    const word = lowerWord(token);
    if (closesPhrase(token) || CLAUSE_WORDS.has(word) || NOT_SPEAKERS.has(token.word) || isDetermined(token)) return false;
    if (NAME_PARTICLES.has(token.word) && j === i) return false;
    if (isNameToken(token) && /^\p{Lu}/u.test(token.word)) return j > i;
  }
  return false;
}

export function isSpeechVerb(token: Token): boolean {
  return SPEECH_VERBS.has(token.word) && !QUOTE_MARK_RE.test(token.text);
}

/** "has", "would", "later", or an adverb: what may stand between a subject and its verb. */
export function isAuxiliary(token: Token): boolean {
  const word = token.word;
  return AUXILIARIES.has(word) || (/^\p{Ll}+ly$/u.test(word) && !NOUNS_ENDING_IN_LY.has(word));
}
