import { describe, expect, it } from "vitest";
import { detectAttributions, type Speaker } from "../../../src/wire/wire.parser.js";
import { cpuGrowth, EIGHTFOLD_GROWTH_LIMIT } from "../../support/cpu-growth.js";
import { junk } from "../../support/junk.js";

const person = (name: string, title: string | null = null, affiliation: string | null = null): Speaker => ({
  kind: "PERSON",
  name,
  title,
  affiliation,
  anonymityReason: null,
});
const organization = (name: string): Speaker => ({ kind: "ORGANIZATION", name, title: null, affiliation: null, anonymityReason: null });
const unnamed = (name: string): Speaker => ({ kind: "UNNAMED", name, title: null, affiliation: null, anonymityReason: null });
const anonymous = (name: string, anonymityReason: string): Speaker => ({
  kind: "ANONYMOUS",
  name,
  title: null,
  affiliation: null,
  anonymityReason,
});

const quotesOf = (...paragraphs: string[]) => detectAttributions(paragraphs).quotes;
const speakersOf = (...paragraphs: string[]) => quotesOf(...paragraphs).map((q) => q.speaker);

describe("finding quotes", () => {
  it("keeps each quote verbatim with its paragraph", () => {
    expect(quotesOf("\u201CWe are ready,\u201D said Dana Whitlock, the county's emergency manager.")).toEqual([
      { paragraphIndex: 0, quote: "We are ready,", speaker: person("Dana Whitlock", "the county's emergency manager") },
    ]);
  });

  it("pairs mixed curly and straight marks and keeps nested single quotes inside", () => {
    expect(quotesOf('He called it \u201Ca \u2018historic\u2019 step," said Joe Ruiz.')).toEqual([
      { paragraphIndex: 0, quote: "a \u2018historic\u2019 step,", speaker: person("Joe Ruiz") },
    ]);
    expect(quotesOf('"Straight quotes work too," said Joe Ruiz.')[0]?.quote).toBe("Straight quotes work too,");
  });

  it("does not take an inch mark for a quote", () => {
    expect(quotesOf('Crews laid a 12" pipe and a 6" pipe under the road.')).toEqual([]);
  });

  it("runs an unclosed quote to the end of its paragraph", () => {
    expect(quotesOf("\u201CWe had minutes, not hours.  ")).toEqual([
      { paragraphIndex: 0, quote: "We had minutes, not hours.", speaker: null },
    ]);
  });

  it("ignores empty quote marks", () => {
    expect(quotesOf('He said "" and left.')).toEqual([]);
  });
});

describe("named speakers", () => {
  it.each([
    ["\u201CWe are ready,\u201D Ana Alvarez said.", person("Ana Alvarez")],
    ["\u201CWe are ready,\u201D said Ana Alvarez.", person("Ana Alvarez")],
    ["\u201CWe are ready,\u201D Ana Alvarez said Tuesday.", person("Ana Alvarez")],
    ["\u201CWe are ready,\u201D Ana Alvarez later told reporters.", person("Ana Alvarez")],
    ["\u201CWe are ready\u201D, Ana Alvarez said.", person("Ana Alvarez")],
    ["\u201CWe are ready,\u201D Luis Gomez told The Associated Press.", person("Luis Gomez")],
    ["\u201CWe are ready,\u201D Luis Gomez, 45, a farmer, said.", person("Luis Gomez", "a farmer")],
    ["\u201CWe are ready,\u201D said John Gomez, 45, a farmer.", person("John Gomez", "a farmer")],
    ["Luis Gomez, the mayor, said Tuesday that the city was \u201Cready.\u201D", person("Luis Gomez", "the mayor")],
    ["Secretary of State Antony Blinken said: \u201CWe are ready.\u201D", person("Antony Blinken", "Secretary of State")],
    ["\u201CWe are ready,\u201D said Iraq's Defense Minister Najah al-Shammari.", person("Najah al-Shammari", "Iraq's Defense Minister")],
  ])("attributes %j", (paragraph, speaker) => {
    const [quote] = quotesOf(paragraph);
    expect(quote?.speaker).toEqual(speaker);
    expect(paragraph).toContain(quote?.quote);
  });

  it("takes a lowercase descriptor before or after the name as the title", () => {
    expect(speakersOf("\u201CThe water rose fast,\u201D said resident Maria Lopez.")).toEqual([person("Maria Lopez", "resident")]);
    expect(speakersOf("\u201CWe closed early,\u201D library director Ann Cole said.")).toEqual([person("Ann Cole", "library director")]);
    expect(speakersOf("\u201CThe water rose fast,\u201D Maria Lopez, a resident, said.")).toEqual([person("Maria Lopez", "a resident")]);
    expect(speakersOf("Economist Farah Siddiqui said prices would \u201Ckeep climbing.\u201D")).toEqual([
      person("Farah Siddiqui", "Economist"),
    ]);
  });

  it("keeps a multi-word title apart from the name and a party-state tag as the affiliation", () => {
    expect(speakersOf("\u201CThis bill is dead,\u201D said Senate Majority Leader Chuck Ramirez, D-Nev.")).toEqual([
      person("Chuck Ramirez", "Senate Majority Leader", "D-Nev."),
    ]);
    expect(speakersOf("Sen. Lisa Grant, R-Maine, said the bill would \u201Cgut rural hospitals.\u201D")).toEqual([
      person("Lisa Grant", "Sen.", "R-Maine"),
    ]);
  });

  it("takes the organisation a description names as the affiliation", () => {
    expect(speakersOf("\u201CShelters are full,\u201D said Hannah Weiss, a spokeswoman for the American Red Cross.")).toEqual([
      person("Hannah Weiss", "a spokeswoman", "the American Red Cross"),
    ]);
  });

  it("takes the organisation a person is of as the affiliation, and an organisation of a place as one name", () => {
    expect(speakersOf("\u201CCases are up,\u201D said Dr. Ann Lee of Johns Hopkins University.")).toEqual([
      person("Ann Lee", "Dr.", "Johns Hopkins University"),
    ]);
    expect(speakersOf("The University of Chicago said the study was \u201Cpreliminary.\u201D")).toEqual([
      organization("The University of Chicago"),
    ]);
  });

  it("does not take the object of a preposition for the speaker", () => {
    expect(speakersOf("\u201CIt is a good deal,\u201D said a statement from the University of Chicago.")).toEqual([
      unnamed("a statement from the University of Chicago"),
    ]);
    expect(speakersOf("\u201CNo comment,\u201D said a spokesman for Mayor Ann Cole.")).toEqual([unnamed("a spokesman for Mayor Ann Cole")]);
  });

  it("names the person after a description of them", () => {
    expect(speakersOf("Her lawyer, Benjamin Osei, said she \u201Cnever broke the law.\u201D")).toEqual([
      person("Benjamin Osei", "Her lawyer"),
    ]);
  });

  it("names organisations by their name as printed", () => {
    expect(speakersOf("\u201CWe are ready,\u201D the Pentagon said.")).toEqual([organization("the Pentagon")]);
    expect(speakersOf("The Pentagon said it was \u201Cready.\u201D")).toEqual([organization("The Pentagon")]);
    expect(speakersOf("\u201CDemand is weak,\u201D Exxon Mobil Corp. said.")).toEqual([organization("Exxon Mobil Corp.")]);
  });

  it("lets a subject who goes on 'saying' win over 'according to'", () => {
    expect(speakersOf("Joe Smith praised the deal, saying it was \u201Chistoric,\u201D according to a statement.")).toEqual([
      person("Joe Smith"),
    ]);
  });

  it("takes the speech verb nearest to the quote", () => {
    expect(speakersOf("Witnesses said the gunman shouted \u201CNobody move!\u201D before opening fire.")).toEqual([unnamed("the gunman")]);
  });
});

describe("speakers with no name", () => {
  it.each([
    ["\u201CWe are ready,\u201D the statement said.", "the statement"],
    ["\u201CWe are ready,\u201D said the official.", "the official"],
    ["\u201CWe are ready,\u201D police said.", "police"],
    ["\u201CWe are ready,\u201D one woman said.", "one woman"],
    ["\u201CWe are ready,\u201D a resident said.", "a resident"],
    ["\u201CWe are ready,\u201D the report said.", "the report"],
    ["\u201CWe are ready,\u201D according to the ministry statement.", "the ministry statement"],
    ["A senior official told The Associated Press: \u201CWe are ready.\u201D", "A senior official"],
    ["Officials called the plan \u201Cunworkable.\u201D", "Officials"],
  ])("describes the speaker of %j, never making a source of it", (paragraph, description) => {
    expect(speakersOf(paragraph)).toEqual([unnamed(description)]);
  });
});

describe("speakers the story named before", () => {
  it("resolves a surname to the full name first given in indirect speech", () => {
    expect(
      speakersOf(
        "Senate Majority Leader Chuck Ramirez, D-Nev., said the chamber would vote before the recess.",
        "\u201CWe are not leaving without a deal,\u201D Ramirez said.",
      ),
    ).toEqual([person("Chuck Ramirez", "Senate Majority Leader", "D-Nev.")]);
  });

  it("resolves a surname to a name given anywhere earlier, even inside a quote", () => {
    expect(speakersOf("The suit was filed by Priya Raman, a nurse.", "\u201CThey punished me,\u201D Raman said.")).toEqual([
      person("Priya Raman", "a nurse"),
    ]);
    expect(
      speakersOf("\u201CNobody works harder than Rosa Delgado,\u201D the principal said.", "\u201CI love it,\u201D Delgado said."),
    ).toEqual([unnamed("the principal"), person("Rosa Delgado")]);
  });

  it("leaves a surname nobody named before, or two people share, for the editor", () => {
    expect(speakersOf("\u201CWe are ready,\u201D Alvarez said.")).toEqual([null]);
    expect(speakersOf("Maria Lopez and her brother, Hector Lopez, ran the bakery.", "\u201CWe never closed,\u201D Lopez said.")).toEqual([
      null,
    ]);
  });

  it("resolves he or she to the only person in play in the nearest paragraph that has one", () => {
    expect(speakersOf("\u201CThe dam would hold,\u201D said farmer Ruth Mbeki.", "\u201CThen it broke,\u201D she said.")).toEqual([
      person("Ruth Mbeki", "farmer"),
      person("Ruth Mbeki", "farmer"),
    ]);
    expect(speakersOf("Alina Petrova waited for hours. \u201CI wanted him to see me,\u201D she said.")).toEqual([person("Alina Petrova")]);
  });

  it("resolves a quote split by a pronoun attribution, and one running over two paragraphs", () => {
    expect(
      speakersOf(
        "Cmdr. Elena Sokolova described the rescue.",
        "\u201CThe boat capsized,\u201D she said, \u201Cand we pulled nine people out.\u201D",
      ),
    ).toEqual([person("Elena Sokolova", "Cmdr."), person("Elena Sokolova", "Cmdr.")]);
    expect(
      speakersOf("Fire Chief Marcus Bell praised his crews. \u201CThey are exhausted.", "\u201CBut nobody is going home,\u201D he added."),
    ).toEqual([person("Marcus Bell", "Fire Chief"), person("Marcus Bell", "Fire Chief")]);
  });

  it("leaves he or she for the editor when two people are in play, even if the names suggest one", () => {
    expect(speakersOf("Judge Karen Holt questioned prosecutor Daniel Reyes.", "\u201CThat is not the law,\u201D she said.")).toEqual([
      null,
    ]);
    expect(speakersOf("\u201CWe are ready,\u201D she said.")).toEqual([null]);
  });

  it("gives a pronoun the unnamed speaker nearest to it rather than a named one further back", () => {
    expect(
      speakersOf(
        "\u201CWe ran out of cots,\u201D said Beth Arnaud.",
        "One man said he had walked six miles. \u201CMy car is under water,\u201D he said.",
      ),
    ).toEqual([person("Beth Arnaud"), unnamed("One man")]);
  });

  it("resolves 'the mayor' to the one person titled mayor", () => {
    expect(speakersOf("Mayor Grace Odhiambo toured the damage.", "\u201CWe will come back,\u201D the mayor said.")).toEqual([
      person("Grace Odhiambo", "Mayor"),
    ]);
  });

  it("does not replace a pronoun with the source that reported it", () => {
    expect(speakersOf("\u201CNo comment,\u201D he said, according to the statement.")).toEqual([null]);
  });
});

describe("anonymous sources", () => {
  it("proposes the paraphrase of an official the copy says is not authorized to speak", () => {
    const { paraphrases } = detectAttributions([
      "A state health official, who was not authorized to discuss the review publicly, said the agency would reopen the files.",
    ]);
    expect(paraphrases).toEqual([
      {
        paragraphIndex: 0,
        claim: "the agency would reopen the files.",
        speaker: anonymous("A state health official", "was not authorized to discuss the review publicly"),
      },
    ]);
  });

  it("makes a quoted official anonymous when the copy says why they are not named", () => {
    expect(speakersOf("\u201CWe are ready,\u201D said the official, who was not authorized to speak.")).toEqual([
      anonymous("the official", "was not authorized to speak"),
    ]);
    expect(speakersOf("\u201CThere is no plan B,\u201D said a senior official who spoke on condition of anonymity.")).toEqual([
      anonymous("a senior official", "spoke on condition of anonymity"),
    ]);
  });

  it("takes a reason given after the attribution of a quote", () => {
    expect(
      speakersOf(
        "\u201CThe patient is stable,\u201D a hospital spokeswoman said, speaking on condition of anonymity under hospital rules.",
      ),
    ).toEqual([anonymous("a hospital spokeswoman", "speaking on condition of anonymity under hospital rules")]);
  });

  it("takes a reason given in the next sentence, and keeps the speaker for what follows", () => {
    const { quotes, paraphrases } = detectAttributions([
      "Two diplomats said the talks had stalled. They spoke on condition of anonymity because they were not authorized to brief reporters.",
      "\u201CNobody is moving,\u201D they said.",
    ]);
    const diplomats = anonymous("Two diplomats", "spoke on condition of anonymity because they were not authorized to brief reporters");
    expect(paraphrases).toEqual([{ paragraphIndex: 0, claim: "the talks had stalled.", speaker: diplomats }]);
    expect(quotes.map((q) => q.speaker)).toEqual([diplomats]);
  });

  it("takes the reason given after the verb, before or after the claim", () => {
    expect(detectAttributions(["A senior official said on condition of anonymity that the strike was planned."]).paraphrases).toEqual([
      { paragraphIndex: 0, claim: "the strike was planned.", speaker: anonymous("A senior official", "on condition of anonymity") },
    ]);
    expect(detectAttributions(["The strike was planned for weeks, a senior official said on condition of anonymity."]).paraphrases).toEqual(
      [
        {
          paragraphIndex: 0,
          claim: "The strike was planned for weeks",
          speaker: anonymous("a senior official", "on condition of anonymity"),
        },
      ],
    );
  });

  it("proposes no paraphrase for a named source or an unnamed one the copy gives no reason for", () => {
    expect(
      detectAttributions(["Juan Ibáñez, who asked that his street not be named, said the water reached his knees."]).paraphrases,
    ).toEqual([]);
    expect(detectAttributions(["Two U.S. officials said the drone was shot down."]).paraphrases).toEqual([]);
  });
});

describe("quoted words nobody said", () => {
  it.each([
    ["a scare quote", "Critics dismissed the so-called \u201Cpeace dividend\u201D as a trick, the office said."],
    ["a title of a work", "Her memoir, \u201CThe Weight of Water,\u201D goes on sale in May, the publisher said."],
    ["a sign", "Protesters carried signs reading \u201CNo More Cuts\u201D as they marched."],
    ["a nickname", "Dwayne \u201CThe Rock\u201D Mitchell cut the ribbon."],
    ["a quote that does not end as speech does", "The \u201Cpeace plan\u201D was rejected, officials said."],
  ])("gives %s no speaker", (_case, paragraph) => {
    expect(speakersOf(paragraph)).toEqual([null]);
  });

  it("gives no speaker when the words after the quote hold no speech verb", () => {
    expect(speakersOf("\u201CWe are ready,\u201D Luis Gomez nodded.")).toEqual([null]);
  });

  it("gives no speaker when the name is only a possessive", () => {
    expect(speakersOf("\u201CWe are ready,\u201D said Gomez's spokesman.")).toEqual([null]);
  });

  it("gives no speaker when the next sentence's subject is not the speaker", () => {
    expect(speakersOf("The sides agreed on \u201Ccooperation.\u201D Both parties emphasized trust.")).toEqual([null]);
  });
});

describe("quotes sharing a speaker", () => {
  it("gives a quote that is its own sentence the speaker of the quote beside it in the paragraph", () => {
    const quotes = quotesOf("\u201CWe are ready,\u201D said Ana Alvarez. \u201CWe have been for weeks.\u201D");
    expect(quotes.map((q) => [q.quote, q.speaker?.name])).toEqual([
      ["We are ready,", "Ana Alvarez"],
      ["We have been for weeks.", "Ana Alvarez"],
    ]);
  });

  it("does not carry a speaker into the next paragraph unless the quote continues there", () => {
    expect(speakersOf("\u201CWe are ready,\u201D said Ana Alvarez.", "\u201CThat is not true.\u201D")).toEqual([
      person("Ana Alvarez"),
      null,
    ]);
  });

  it("names a multi-paragraph quote after its last paragraph", () => {
    expect(
      quotesOf("\u201CWe will rebuild every house on this street.", "\u201CIt will take years, but we will do it,\u201D said Ana Alvarez."),
    ).toEqual([
      { paragraphIndex: 0, quote: "We will rebuild every house on this street.", speaker: person("Ana Alvarez") },
      { paragraphIndex: 1, quote: "It will take years, but we will do it,", speaker: person("Ana Alvarez") },
    ]);
  });
});

describe("detectAttributions on adversarial copy", () => {
  it("stays linear on a lede full of quote marks, periods and attributions", () => {
    const lede = (bytes: number) => junk(bytes, 'Ab said, the. \u201C\u201D"');
    const small = lede(16 * 1024);
    const large = lede(128 * 1024);
    expect(detectAttributions([large]).quotes.length).toBeGreaterThan(1000);
    expect(
      cpuGrowth(
        () => detectAttributions([small]),
        () => detectAttributions([large]),
      ),
    ).toBeLessThan(EIGHTFOLD_GROWTH_LIMIT);
  });

  it("stays linear on a story of many paragraphs full of names, surnames and pronouns", () => {
    const paragraphs = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        i % 2 === 0
          ? `Ana Ruiz${i} met Tom Lee${i}, D-Nev., and one official, who was not authorized to speak, said it was over. Ruiz${i - 2} said so.`
          : `\u201CWe are done,\u201D she said. \u201CYes,\u201D Lee${i - 1} said. \u201CNo,\u201D the official said, \u201Cnot yet.\u201D`,
      );
    const small = paragraphs(250);
    const large = paragraphs(2000);
    expect(detectAttributions(large).paraphrases.length).toBe(1000);
    expect(
      cpuGrowth(
        () => detectAttributions(small),
        () => detectAttributions(large),
      ),
    ).toBeLessThan(EIGHTFOLD_GROWTH_LIMIT);
  });
});
