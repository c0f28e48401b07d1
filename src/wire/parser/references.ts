/**
 * Who a surname, a pronoun or "the official" stands for, read as an editor reads a story: from
 * the people, organisations and unnamed speakers it has met so far. A reference is only resolved
 * when exactly one of them fits; otherwise it is left for the editor, because a wrong speaker is
 * worse than none.
 */
import { surnameKey, type Description, type Pronoun, type Reference, type Speaker } from "./names.js";
import { PERSON_NOUNS, TITLE_ABBREVIATION_WORDS, TITLE_WORDS } from "./vocabulary.js";

/** One speaker as the story goes on: every reference to them shares it. */
export interface Party {
  /** Changed in place when a later sentence says why the speaker is anonymous. */
  speaker: Speaker;
  key: string;
  group: "person" | "thing" | "plural";
  /** For a description: its head noun, so "the official" can find "a senior official". */
  head: string | null;
}

/** A pronoun looks this many paragraphs back for its speaker, after its own paragraph. */
const PRONOUN_REACH = 2;

/** Whether exactly one party was seen among several sightings. */
class OneOf {
  private only: Party | null = null;
  private several = false;

  add(party: Party): void {
    if (this.only === null) this.only = party;
    else if (this.only.key !== party.key) this.several = true;
  }

  get isEmpty(): boolean {
    return this.only === null;
  }

  /** The party, when only one was seen. */
  get single(): Party | null {
    return this.several ? null : this.only;
  }
}

type InPlay = Record<Party["group"], OneOf>;

const nobodyInPlay = (): InPlay => ({ person: new OneOf(), thing: new OneOf(), plural: new OneOf() });

export class StoryReferences {
  private readonly people = new Map<string, Party>();
  private readonly organizations = new Map<string, Party>();
  private readonly bySurname = new Map<string, OneOf>();
  private readonly byTitleWord = new Map<string, OneOf>();
  private readonly byHead = new Map<string, OneOf>();
  /** Who is in play in the current paragraph so far, and in the ones before it, nearest first. */
  private current: InPlay = nobodyInPlay();
  private previous: InPlay[] = [];
  private described = 0;

  startParagraph(): void {
    this.previous = [this.current, ...this.previous].slice(0, PRONOUN_REACH);
    this.current = nobodyInPlay();
  }

  /**
   * A person the copy names outside an attribution ("filed by Priya Raman, a nurse"). A name
   * inside a quote is no candidate for a pronoun, but a later surname may still mean it.
   */
  mention(speaker: Speaker, inQuote: boolean): void {
    const party = this.personParty(speaker);
    if (!inQuote) this.current.person.add(party);
  }

  /** The party a reference stands for, or null when the story does not say; remembered for what follows. */
  resolve(reference: Reference): Party | null {
    const party = this.find(reference);
    if (party !== null) this.current[party.group].add(party);
    return party;
  }

  /**
   * "They spoke on condition of anonymity because ...": the reason belongs to the unnamed
   * speaker the subject points back to, who becomes anonymous.
   */
  explainAnonymity(subject: Reference, reason: string): void {
    const party =
      subject.type === "pronoun" ? this.inPlay(subject.pronoun) : subject.type === "description" ? this.pointedAt(subject) : null;
    if (party !== null && party.speaker.kind === "UNNAMED")
      party.speaker = { ...party.speaker, kind: "ANONYMOUS", anonymityReason: reason };
  }

  private find(reference: Reference): Party | null {
    switch (reference.type) {
      case "name":
        return reference.speaker.kind === "PERSON" ? this.personParty(reference.speaker) : this.organizationParty(reference.speaker);
      case "surname": {
        const party = this.bySurname.get(reference.surname.toLowerCase())?.single ?? null;
        if (party !== null) {
          fillBlanks(party, reference);
          return party;
        }
        if (this.bySurname.has(reference.surname.toLowerCase()) || reference.alone === null) return null;
        return this.personParty({ ...reference.alone, affiliation: reference.affiliation });
      }
      case "pronoun":
        return this.inPlay(reference.pronoun);
      case "description":
        return (reference.description.definite ? this.pointedAt(reference) : null) ?? this.describedParty(reference);
    }
  }

  /** The one speaker a pronoun can mean: in the nearest paragraph that has any candidate. */
  private inPlay(pronoun: Pronoun): Party | null {
    const group = pronoun === "it" ? "thing" : pronoun === "they" ? "plural" : "person";
    for (const paragraph of [this.current, ...this.previous]) {
      if (!paragraph[group].isEmpty) return paragraph[group].single;
    }
    return null;
  }

  /** "the official" or "the mayor": the one official described before, or the one person titled mayor. */
  private pointedAt(reference: Extract<Reference, { type: "description" }>): Party | null {
    const { head, plural } = reference.description;
    const candidates = new OneOf();
    for (const sighting of [this.byHead.get(headKey(head, plural)), plural ? undefined : this.byTitleWord.get(head)]) {
      if (sighting === undefined || sighting.isEmpty) continue;
      if (sighting.single === null) return null;
      candidates.add(sighting.single);
    }
    return candidates.single;
  }

  private describedParty(reference: Extract<Reference, { type: "description" }>): Party {
    const description: Description = reference.description;
    const group = description.plural ? "plural" : description.person ? "person" : "thing";
    const party: Party = { speaker: reference.speaker, key: `description:${this.described++}`, group, head: description.head };
    sightingOf(this.byHead, headKey(description.head, description.plural)).add(party);
    return party;
  }

  /** One party per person's name; a later mention fills in a title or affiliation the first lacked. */
  private personParty(speaker: Speaker): Party {
    const key = speaker.name.toLowerCase();
    const known = this.people.get(key);
    if (known !== undefined) {
      fillBlanks(known, speaker);
      return known;
    }
    const party: Party = { speaker, key: `person:${key}`, group: "person", head: null };
    this.people.set(key, party);
    if (speaker.name.includes(" ")) sightingOf(this.bySurname, surnameKey(speaker.name)).add(party);
    for (const word of titleWords(speaker.title)) sightingOf(this.byTitleWord, word).add(party);
    return party;
  }

  private organizationParty(speaker: Speaker): Party {
    const key = speaker.name.toLowerCase().replace(/^the /u, "");
    const known = this.organizations.get(key);
    if (known !== undefined) return known;
    const party: Party = { speaker, key: `organization:${key}`, group: "thing", head: null };
    this.organizations.set(key, party);
    return party;
  }
}

function fillBlanks(party: Party, facts: { title: string | null; affiliation: string | null }): void {
  const { title, affiliation } = party.speaker;
  if ((title === null && facts.title !== null) || (affiliation === null && facts.affiliation !== null)) {
    party.speaker = { ...party.speaker, title: title ?? facts.title, affiliation: affiliation ?? facts.affiliation };
  }
}

function sightingOf(index: Map<string, OneOf>, key: string): OneOf {
  let sighting = index.get(key);
  if (sighting === undefined) {
    sighting = new OneOf();
    index.set(key, sighting);
  }
  return sighting;
}

const headKey = (head: string, plural: boolean): string => `${plural ? "plural" : "one"}:${head}`;

/** The words of a title that "the <word>" can point back with: "Mayor" gives "mayor", "Sen." gives "senator". */
function titleWords(title: string | null): string[] {
  if (title === null) return [];
  return title.split(/\s+/u).flatMap((raw) => {
    const word = raw.replace(/[.,]+$/u, "");
    const meaning = TITLE_ABBREVIATION_WORDS.get(word);
    if (meaning !== undefined) return [meaning];
    const lower = word.toLowerCase();
    return PERSON_NOUNS.has(lower) || TITLE_WORDS.has(word) ? [lower] : [];
  });
}
