/**
 * What a phrase of copy says about a speaker: a person's name with the title and affiliation
 * printed around it, an organisation, a description of someone unnamed, or a surname or pronoun
 * that points back to someone the story named before. Every text is an exact substring of the
 * paragraph.
 */
import { closesPhrase, QUOTE_MARK_RE, tokenize, trimmedEnd, type Token } from "./sentences.js";
import {
  ANONYMITY_RE,
  APPOSITIVE_OPENERS,
  ARABIC_ARTICLE_RE,
  COMPANY_ABBREVIATIONS,
  DETERMINERS,
  NAME_PARTICLES,
  NAME_SUFFIXES,
  ORGANIZATION_WORDS,
  PERSON_NOUNS,
  PLURAL_PERSON_NOUNS,
  PREPOSITIONS,
  PRONOUNS,
  QUANTIFIERS,
  RELATIVE_PRONOUNS,
  STATE_ABBREVIATIONS,
  STATES_SPELLED_OUT,
  TITLE_ABBREVIATIONS,
  TITLE_WORDS,
  AFFILIATION_PREPOSITIONS,
  CLAUSE_WORDS,
  DESCRIPTION_PREPOSITIONS,
  SPEECH_VERBS,
} from "./vocabulary.js";

export type SpeakerKind = "PERSON" | "ORGANIZATION" | "ANONYMOUS" | "UNNAMED";

export interface Speaker {
  /**
   * PERSON and ORGANIZATION are named; ANONYMOUS is a description the copy gives a reason for
   * not naming; UNNAMED is a description with no name and no such reason ("one woman", "the
   * statement", "police"), left for an editor rather than made a source.
   */
  kind: SpeakerKind;
  /** A person's full name as first given, an organisation's name, or the description as printed. */
  name: string;
  title: string | null;
  /** A party-state tag ("D-Nev.") or the organisation a description ties the speaker to. */
  affiliation: string | null;
  /** ANONYMOUS only: why the copy does not name the speaker, as printed. */
  anonymityReason: string | null;
}

export type Pronoun = "he" | "she" | "it" | "they";

/** What a phrase says about who spoke, before the story is read for what it points back to. */
export type Reference =
  | { type: "name"; speaker: Speaker }
  /** A surname alone ("Ramirez", "Gov. Ruiz"); `alone` is what it means if the story named nobody so. */
  | { type: "surname"; surname: string; title: string | null; affiliation: string | null; alone: Speaker | null }
  | { type: "description"; speaker: Speaker; description: Description }
  | { type: "pronoun"; pronoun: Pronoun };

export interface Description {
  /** The noun the description is about, lowercased: "official" in "a senior official of the ministry". */
  head: string;
  /** Whether he or she may refer to it. */
  person: boolean;
  plural: boolean;
  /** "the official": it points back to an official named or described before. */
  definite: boolean;
}

export const MAX_NAME_TOKENS = 8;
// A lowercase subject without a determiner ("police", "state officials") is
// only trusted when it is this short.
const MAX_BARE_DESCRIPTION_TOKENS = 3;
// A description of a person rarely runs longer; a longer "subject" is a clause.
const MAX_DESCRIPTION_TOKENS = 10;
// An appositive is a few words after a name; reading further would make long sentences quadratic.
const APPOSITIVE_WINDOW = 300;

const PARTY_STATE_RE = /^[DRI]-(.+)$/u;
// "N.Y.", "N.C.", "W.Va.": initials with an optional abbreviated word.
const STATE_INITIALS_RE = /^(?:\p{Lu}\.){1,2}(?:\p{Lu}\p{Ll}?\.)?$/u;

export function lowerWord(token: Token): string {
  return token.word.toLowerCase();
}

function isCapitalized(token: Token): boolean {
  return /^\p{Lu}/u.test(token.word);
}

export function isNameToken(token: Token): boolean {
  if (QUOTE_MARK_RE.test(token.text)) return false;
  const word = token.word;
  return /^\p{Lu}/u.test(word) || NAME_PARTICLES.has(word) || ARABIC_ARTICLE_RE.test(word);
}

export function isTitleToken(token: Token): boolean {
  const word = token.word;
  if (TITLE_ABBREVIATIONS.has(word) && token.text.replace(/^[“"(]+/u, "").startsWith(`${word}.`)) return true;
  return word.split("-").some((part) => TITLE_WORDS.has(part));
}

/** "NATO", "U.N.", "AFL-CIO"; a word's bare form has lost its last period ("U.N"). */
function isAcronym(word: string): boolean {
  return /^(?:\p{Lu}\.)+\p{Lu}\.?$|^\p{Lu}{2,}(?:-\p{Lu}{2,})*$/u.test(word);
}

function isPreposition(token: Token): boolean {
  const word = lowerWord(token);
  return PREPOSITIONS.has(word) || DESCRIPTION_PREPOSITIONS.has(word);
}

function isOrganizationWord(word: string): boolean {
  return ORGANIZATION_WORDS.has(word) || COMPANY_ABBREVIATIONS.has(word);
}

/** "D-Nev.", "R-Texas", "I-Vt.", "D-N.Y.": the tag AP puts after a lawmaker's name. */
export function partyStateOf(token: Token): string | null {
  const text = token.text.replace(/[,;:)]+$/u, "");
  const state = PARTY_STATE_RE.exec(text)?.[1];
  if (state === undefined) return null;
  const known =
    STATES_SPELLED_OUT.has(state) || (state.endsWith(".") && STATE_ABBREVIATIONS.has(state.slice(0, -1))) || STATE_INITIALS_RE.test(state);
  return known ? text : null;
}

/** Whether a word names people by what they do or are, and whether it is plural. */
export function personNoun(word: string): { plural: boolean } | null {
  if (PERSON_NOUNS.has(word)) return { plural: false };
  if (PLURAL_PERSON_NOUNS.has(word)) return { plural: true };
  if (word.endsWith("men") && PERSON_NOUNS.has(`${word.slice(0, -3)}man`)) return { plural: true };
  if (word.endsWith("es") && PERSON_NOUNS.has(word.slice(0, -2))) return { plural: true };
  if (word.endsWith("s") && PERSON_NOUNS.has(word.slice(0, -1))) return { plural: true };
  return null;
}

/**
 * A capitalised word opening a sentence that is an ordinary word there, not part of a name:
 * "Officials", "Two", "Economist". A formal title ("Mayor") stays with the name it stands before.
 */
function isCapitalisedByPosition(token: Token): boolean {
  const word = lowerWord(token);
  if (isTitleToken(token) && !PLURAL_PERSON_NOUNS.has(word)) return false;
  return DETERMINERS.has(word) || QUANTIFIERS.has(word) || PRONOUNS.has(word) || personNoun(word) !== null;
}

function textOf(paragraph: string, tokens: Token[]): string {
  return paragraph.slice(tokens[0]!.start, trimmedEnd(tokens[tokens.length - 1]!));
}

/** Whether a phrase opens with "the", "a", "his", "one", "several" and the like. */
export function isDetermined(token: Token): boolean {
  const word = lowerWord(token);
  return DETERMINERS.has(word) || QUANTIFIERS.has(word) || /^\d/u.test(word);
}

/**
 * What a phrase that stands where a speaker stands says about them. `opensSentence`: the first
 * token opens its sentence, so its capital says nothing. Gives null for anything that cannot be
 * a speaker.
 */
export function classifyPhrase(paragraph: string, tokens: Token[], opensSentence: boolean): Reference | null {
  const first = tokens[0];
  if (first === undefined || tokens.length > MAX_DESCRIPTION_TOKENS) return null;
  if (tokens.some((t) => QUOTE_MARK_RE.test(t.text))) return null;
  const firstWord = lowerWord(first);
  if (CLAUSE_WORDS.has(firstWord)) return null;
  if (tokens.length === 1 && PRONOUNS.has(firstWord)) {
    return firstWord === "he" || firstWord === "she" || firstWord === "it" || firstWord === "they"
      ? { type: "pronoun", pronoun: firstWord }
      : null;
  }
  if (tokens.length === 1 && (DETERMINERS.has(firstWord) || partyStateOf(first) !== null)) return null;

  // The name is the run of capitalised words (and particles inside them) that ends the phrase.
  let runStart = tokens.length;
  while (runStart > 0 && isNameToken(tokens[runStart - 1]!) && !(runStart === 1 && opensSentence && isCapitalisedByPosition(first))) {
    runStart--;
  }
  while (runStart < tokens.length && !isCapitalized(tokens[runStart]!)) runStart++;
  if (runStart === tokens.length) return describe(paragraph, tokens);

  const prefix = tokens.slice(0, runStart);
  const run = tokens.slice(runStart);
  const last = run[run.length - 1]!;
  const onlyThe = prefix.length === 1 && firstWord === "the";
  const text = textOf(paragraph, tokens);

  // "a statement from the University of Chicago", "a spokesman for Mayor Ann Cole": the name is
  // the object of a preposition, and the speaker is the one described before it.
  const object = prefix.findIndex((t, i) => isPreposition(t) && (i === prefix.length - 1 || isDetermined(prefix[i + 1]!)));
  if (object !== -1) return describe(paragraph, tokens);
  // "Dr. Ann Lee of Johns Hopkins University": a person and the organisation they are of.
  const of = run.findIndex((t, i) => i > 0 && (t.word === "of" || t.word === "at"));
  if (of !== -1 && isOrganizationWord(last.word) && !isOrganizationWord(run[0]!.word)) {
    const member = classifyPhrase(paragraph, tokens.slice(0, runStart + of), opensSentence);
    const affiliation = textOf(paragraph, run.slice(of + 1));
    if (member?.type === "name" && member.speaker.kind === "PERSON") return { type: "name", speaker: { ...member.speaker, affiliation } };
    if (member?.type === "surname") return { ...member, affiliation };
  }
  const possessiveOnly = prefix.every((t) => DETERMINERS.has(lowerWord(t)) || /['’]s$/u.test(t.word));
  // "Iraq's Foreign Ministry", "Exxon Mobil Corp.", "the University of Chicago".
  if (isOrganizationWord(last.word) || (isOrganizationWord(run[0]!.word) && run[1]?.word === "of")) {
    return possessiveOnly ? { type: "name", speaker: named("ORGANIZATION", text) } : describe(paragraph, tokens);
  }

  let titleEnd = -1;
  run.forEach((token, i) => {
    if (i < run.length - 1 && isTitleToken(token)) titleEnd = i;
  });
  // "Secretary of State Miriam Achebe": "of State" belongs to the title.
  if (titleEnd !== -1 && titleEnd + 3 < run.length && ["of", "for"].includes(run[titleEnd + 1]!.word)) titleEnd += 2;
  const nameTokens = run.slice(titleEnd + 1);
  if (isTitleToken(last) && titleEnd === -1 && nameTokens.length === 1) return describe(paragraph, tokens);
  const titleTokens = tokens.slice(0, runStart + titleEnd + 1);
  const title = titleTokens.length > 0 ? textOf(paragraph, titleTokens) : null;
  const name = textOf(paragraph, nameTokens);

  if (onlyThe && titleEnd === -1) return { type: "name", speaker: named("ORGANIZATION", text) };
  if (nameTokens.length === 1) {
    if (titleEnd === -1 && prefix.length === 0 && isAcronym(last.word)) return { type: "name", speaker: named("ORGANIZATION", text) };
    // "said Smith's spokesman" was cut short: the speaker is the spokesman, whom this does not name.
    if (/['’]s$/u.test(last.word) && !closesPhrase(last)) return null;
    return { type: "surname", surname: last.word, title, affiliation: null, alone: title === null ? null : person(name, title) };
  }
  if (/['’]s$/u.test(last.word) && !closesPhrase(last)) return null;
  return { type: "name", speaker: person(name, title) };
}

/** A phrase with no name in it: "one woman", "the statement", "a senior official of the ministry". */
function describe(paragraph: string, tokens: Token[]): Reference | null {
  const first = tokens[0]!;
  const firstWord = lowerWord(first);
  if (tokens.every((t) => isDetermined(t))) return null;
  // "a person familiar with the plans": the head is the noun for a person before any preposition.
  const preposition = tokens.findIndex((t, i) => i > 0 && DESCRIPTION_PREPOSITIONS.has(lowerWord(t)));
  const modified = tokens.slice(0, preposition === -1 ? tokens.length : preposition);
  const head = lowerWord(modified.findLast((t) => personNoun(lowerWord(t)) !== null) ?? modified[modified.length - 1]!);
  const noun = personNoun(head);
  // Without a determiner only a short phrase about people is a speaker: "police", "state officials".
  if (!isDetermined(first) && (tokens.length > MAX_BARE_DESCRIPTION_TOKENS || noun === null)) return null;
  return {
    type: "description",
    speaker: { kind: "UNNAMED", name: textOf(paragraph, tokens), title: null, affiliation: null, anonymityReason: null },
    description: {
      head,
      person: noun !== null,
      plural: noun?.plural ?? (/[^s]s$/u.test(head) && !QUANTIFIERS.has(firstWord)),
      definite: firstWord === "the",
    },
  };
}

function named(kind: "PERSON" | "ORGANIZATION", name: string): Speaker {
  return { kind, name, title: null, affiliation: null, anonymityReason: null };
}

function person(name: string, title: string | null): Speaker {
  return { kind: "PERSON", name, title, affiliation: null, anonymityReason: null };
}

/** The key under which a person's later mentions by surname find them: "ramirez" for "Chuck Ramirez Jr.". */
export function surnameKey(name: string): string {
  const words = name.split(/\s+/u).map((word) => word.replace(/[.,]+$/u, ""));
  while (words.length > 1 && NAME_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return (words[words.length - 1] ?? "").replace(/['’]s$/u, "").toLowerCase();
}

/** What copy prints between commas after a name or description. */
export interface Appositive {
  /** "a retired teacher" in "Olusegun Adeyemi, 67, a retired teacher", without a clause or organisation. */
  title: string | null;
  /** The party-state tag, or the organisation the description names after for/at/of/with. */
  affiliation: string | null;
  /** The clause that says why a speaker is not named, as printed, without its "who". */
  anonymityReason: string | null;
  /** A name after a description: "Omar Haddad" in "the governor's spokesman, Omar Haddad". */
  name: Token[] | null;
}

export const NO_APPOSITIVE: Appositive = { title: null, affiliation: null, anonymityReason: null, name: null };

/**
 * Reads the comma-separated parts that follow a name or description, from `from` (just past
 * its comma) up to `to`: an age, a party-state tag, one description, a clause giving a reason
 * for anonymity. `nameMayFollow`: the phrase was a description, so a name may stand here.
 */
export function readAppositive(paragraph: string, from: number, to: number, nameMayFollow: boolean): Appositive {
  const end = Math.min(to, from + APPOSITIVE_WINDOW);
  const found: Appositive = { ...NO_APPOSITIVE };
  let start = from;
  for (let segment = 0; segment < 4 && start < end; segment++) {
    const comma = paragraph.indexOf(",", start);
    const segmentEnd = comma === -1 || comma >= end ? end : comma;
    const tokens = tokenize(paragraph, start, segmentEnd);
    start = segmentEnd + 1;
    const first = tokens[0];
    if (first === undefined) break;
    const text = textOf(paragraph, tokens);
    if (QUOTE_MARK_RE.test(text)) break;
    if (tokens.length === 1 && /^\d+$/u.test(first.word)) continue;
    const partyState = tokens.length === 1 ? partyStateOf(first) : null;
    if (partyState !== null) {
      found.affiliation = partyState;
      continue;
    }
    const firstWord = lowerWord(first);
    if (RELATIVE_PRONOUNS.has(firstWord) || APPOSITIVE_OPENERS.has(firstWord)) {
      if (ANONYMITY_RE.test(text)) found.anonymityReason = RELATIVE_PRONOUNS.has(firstWord) ? textOf(paragraph, tokens.slice(1)) : text;
      break;
    }
    if (nameMayFollow && segment === 0 && tokens.every(isNameToken) && tokens.length <= MAX_NAME_TOKENS) {
      found.name = tokens;
      break;
    }
    if (isCapitalized(first) && !/['’]s$/u.test(first.word) && !isTitleToken(first)) break;
    // "Rosa Delgado, the principal said": an attribution, not a description of her.
    if (tokens.some((t) => SPEECH_VERBS.has(t.word))) break;
    if (isDetermined(first) || /['’]s$/u.test(first.word) || tokens.some((t) => personNoun(lowerWord(t)) !== null)) {
      Object.assign(found, describedAs(paragraph, tokens));
    }
    break;
  }
  return found;
}

/** A description up to any clause in it, its organisation split off: "a spokeswoman" + "the American Red Cross". */
function describedAs(paragraph: string, all: Token[]): { title: string; affiliation?: string } {
  const clause = all.findIndex((t, i) => i > 0 && RELATIVE_PRONOUNS.has(lowerWord(t)));
  const tokens = clause === -1 ? all : all.slice(0, clause);
  for (let i = tokens.length - 2; i >= 1; i--) {
    // "director of the Office of Public Health": an "of" after a capital is inside the organisation's name.
    if (!AFFILIATION_PREPOSITIONS.has(lowerWord(tokens[i]!)) || isCapitalized(tokens[i - 1]!)) continue;
    const organization = tokens.slice(i + 1);
    const named = lowerWord(organization[0]!) === "the" ? organization.slice(1) : organization;
    if (named.length > 0 && isCapitalized(named[0]!) && named.every(isNameToken)) {
      return { title: textOf(paragraph, tokens.slice(0, i)), affiliation: textOf(paragraph, organization) };
    }
  }
  return { title: textOf(paragraph, tokens) };
}

/** A reference with what its appositive adds: a title, an affiliation, a reason for anonymity. */
export function withAppositive(reference: Reference, appositive: Appositive): Reference {
  switch (reference.type) {
    case "name":
      if (reference.speaker.kind !== "PERSON") return reference;
      return {
        type: "name",
        speaker: {
          ...reference.speaker,
          title: reference.speaker.title ?? appositive.title,
          affiliation: appositive.affiliation,
        },
      };
    case "surname":
      return { ...reference, title: reference.title ?? appositive.title, affiliation: appositive.affiliation };
    case "description":
      if (appositive.anonymityReason === null) return reference;
      return { ...reference, speaker: { ...reference.speaker, kind: "ANONYMOUS", anonymityReason: appositive.anonymityReason } };
    case "pronoun":
      return reference;
  }
}

/**
 * A description followed by a name ("Her lawyer, Benjamin Osei,") names the person, the
 * description serving as the title when no formal title stands before the name.
 */
export function describedName(paragraph: string, description: Reference, nameTokens: Token[]): Reference | null {
  if (description.type !== "description") return null;
  const name = classifyPhrase(paragraph, nameTokens, false);
  const title = description.speaker.name;
  if (name?.type === "name" && name.speaker.kind === "PERSON") {
    return { type: "name", speaker: { ...name.speaker, title: name.speaker.title ?? title } };
  }
  if (name?.type === "surname") return { ...name, title: name.title ?? title, alone: null };
  return null;
}
