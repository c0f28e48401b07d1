import { describe, expect, it } from "vitest";
import { detectQuotes } from "../../../src/wire/wire.parser.js";
import { cpuGrowth, EIGHTFOLD_GROWTH_LIMIT } from "../../support/cpu-growth.js";
import { junk } from "../../support/junk.js";

describe("detectQuotes", () => {
  const one = (paragraph: string) => detectQuotes([paragraph]);

  it("reads `, said Name, title.`", () => {
    expect(one("\u201CWe are ready,\u201D said Dana Whitlock, the county's emergency manager.")).toEqual([
      { paragraphIndex: 0, quote: "We are ready,", speaker: { name: "Dana Whitlock", title: "the county's emergency manager" } },
    ]);
  });

  it.each([
    ["\u201CWe are ready,\u201D Alvarez said.", { name: "Alvarez", title: null }],
    ["\u201CWe are ready,\u201D said Alvarez.", { name: "Alvarez", title: null }],
    ["\u201CWe are ready,\u201D Alvarez said Tuesday.", { name: "Alvarez", title: null }],
    ["\u201CWe are ready,\u201D Alvarez later told reporters.", { name: "Alvarez", title: null }],
    ["\u201CWe are ready,\u201D the statement said.", { name: "the statement", title: null }],
    ["\u201CWe are ready,\u201D said the official.", { name: "the official", title: null }],
    ["\u201CWe are ready,\u201D said the official, who was not authorized to speak.", { name: "the official", title: null }],
    ["\u201CWe are ready,\u201D police said.", { name: "police", title: null }],
    ["\u201CWe are ready\u201D, Alvarez said.", { name: "Alvarez", title: null }],
    ["\u201CWe are ready,\u201D according to the ministry statement.", { name: "the ministry statement", title: null }],
    ["A senior official told The Associated Press: \u201CWe are ready.\u201D", { name: "a senior official", title: null }],
    ["\u201CWe are ready,\u201D Gomez told The Associated Press.", { name: "Gomez", title: null }],
    ["\u201CWe are ready,\u201D Gomez, 45, a farmer, said.", { name: "Gomez", title: "a farmer" }],
    ["\u201CWe are ready,\u201D said John Gomez, 45, a farmer.", { name: "John Gomez", title: "a farmer" }],
    ["Gomez, the mayor, said Tuesday that the city was \u201Cready.\u201D", { name: "Gomez", title: "the mayor" }],
    ["Secretary of State Antony Blinken said: \u201CWe are ready.\u201D", { name: "Antony Blinken", title: "Secretary of State" }],
    [
      "\u201CWe are ready,\u201D said Iraq's Defense Minister Najah al-Shammari.",
      { name: "Najah al-Shammari", title: "Iraq's Defense Minister" },
    ],
    ["\u201CWe are ready,\u201D the Pentagon said.", { name: "the Pentagon", title: null }],
    ["The Pentagon said it was \u201Cready.\u201D", { name: "The Pentagon", title: null }],
  ])("attributes %j", (paragraph, speaker) => {
    const [quote] = one(paragraph);
    expect(quote?.speaker).toEqual(speaker);
    expect(paragraph).toContain(quote?.quote);
  });

  it.each([
    ["a pronoun names nobody", "\u201CWe are ready,\u201D she said."],
    ["a pronoun is not replaced by the source that reported it", "\u201CNo comment,\u201D he said, according to the statement."],
    ["nobody is named", "Officials called the plan \u201Cunworkable.\u201D"],
    ["the words after the quote hold no speech verb", "\u201CWe are ready,\u201D Gomez nodded."],
    ["the name is only a possessive", "\u201CWe are ready,\u201D said Gomez's spokesman."],
    ["the next sentence's subject is not the speaker", "The sides agreed on \u201Ccooperation.\u201D Both parties emphasized trust."],
    ["a plural subject with a modifier is not a name", "Iraqi officials praised the deal, saying it was \u201Chistoric.\u201D"],
  ])("gives no speaker when %s", (_case, paragraph) => {
    expect(one(paragraph).map((q) => q.speaker)).toEqual([null]);
  });

  it("lets a subject who goes on 'saying' win over 'according to'", () => {
    expect(one("Smith praised the deal, saying it was \u201Chistoric,\u201D according to a statement.")[0]?.speaker).toEqual({
      name: "Smith",
      title: null,
    });
  });

  it("pairs mixed curly and straight marks and keeps nested single quotes inside", () => {
    expect(one('He called it \u201Ca \u2018historic\u2019 step," said Ruiz.')).toEqual([
      { paragraphIndex: 0, quote: "a \u2018historic\u2019 step,", speaker: { name: "Ruiz", title: null } },
    ]);
    expect(one('"Straight quotes work too," said Ruiz.')[0]?.quote).toBe("Straight quotes work too,");
  });

  it("does not take an inch mark for a quote", () => {
    expect(one('Crews laid a 12" pipe and a 6" pipe under the road.')).toEqual([]);
  });

  it("runs an unclosed quote to the end of its paragraph", () => {
    expect(one("\u201CWe had minutes, not hours.  ")).toEqual([{ paragraphIndex: 0, quote: "We had minutes, not hours.", speaker: null }]);
  });

  it("gives a quote that is its own sentence the speaker of the quote beside it in the paragraph", () => {
    const quotes = one("\u201CWe are ready,\u201D Alvarez said. \u201CWe have been for weeks.\u201D");
    expect(quotes.map((q) => [q.quote, q.speaker?.name])).toEqual([
      ["We are ready,", "Alvarez"],
      ["We have been for weeks.", "Alvarez"],
    ]);
  });

  it("does not carry a speaker into the next paragraph unless the quote continues there", () => {
    const quotes = detectQuotes(["\u201CWe are ready,\u201D Alvarez said.", "\u201CThat is not true.\u201D"]);
    expect(quotes.map((q) => q.speaker)).toEqual([{ name: "Alvarez", title: null }, null]);
  });

  it("names a multi-paragraph quote after its last paragraph", () => {
    const quotes = detectQuotes([
      "\u201CWe will rebuild every house on this street.",
      "\u201CIt will take years, but we will do it,\u201D Alvarez said.",
    ]);
    expect(quotes).toEqual([
      { paragraphIndex: 0, quote: "We will rebuild every house on this street.", speaker: { name: "Alvarez", title: null } },
      { paragraphIndex: 1, quote: "It will take years, but we will do it,", speaker: { name: "Alvarez", title: null } },
    ]);
  });

  it("ignores empty quote marks", () => {
    expect(one('He said "" and left.')).toEqual([]);
  });
});

describe("detectQuotes on adversarial copy", () => {
  it("stays linear on a lede full of quote marks, periods and attributions", () => {
    const lede = (bytes: number) => junk(bytes, 'Ab said, the. \u201C\u201D"');
    const small = lede(16 * 1024);
    const large = lede(128 * 1024);
    expect(detectQuotes([large]).length).toBeGreaterThan(1000);
    expect(
      cpuGrowth(
        () => detectQuotes([small]),
        () => detectQuotes([large]),
      ),
    ).toBeLessThan(EIGHTFOLD_GROWTH_LIMIT);
  });
});
