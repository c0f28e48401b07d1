import { describe, expect, it } from "vitest";
import { assertSourceConsistent } from "../../../src/sources/source.rules.js";
import { parseWireStory } from "../../../src/wire/wire.parser.js";
import { proposalsOf, sourceDataFor } from "../../../src/wire/wire.rules.js";

const story = (...paragraphs: string[]) =>
  parseWireStory(["Clinic closures under review", `SPRINGFIELD, Ill. (AP) \u2014 ${paragraphs[0]}`, ...paragraphs.slice(1)].join("\n\n"));

describe("proposalsOf", () => {
  const wire = story(
    "The state will review the closure of three rural clinics, Gov. Teresa Alvarado said Monday.",
    "\u201CNobody should drive two hours to see a doctor,\u201D Alvarado said.",
    "A state health official, who was not authorized to discuss the review publicly, said the agency would reopen the files next month.",
    "\u201CI just want my clinic back,\u201D one woman said. \u201CThe Weight of Water,\u201D a memoir by a local nurse, tells the story.",
  );

  it("proposes quotes of named and anonymous speakers and paraphrases of anonymous ones, in story order", () => {
    expect(proposalsOf(wire).map((p) => [p.paragraphIndex, p.kind, p.words, p.speaker.kind, p.speaker.name])).toEqual([
      [1, "DIRECT_QUOTE", "Nobody should drive two hours to see a doctor,", "PERSON", "Teresa Alvarado"],
      [2, "PARAPHRASE", "the agency would reopen the files next month.", "ANONYMOUS", "A state health official"],
    ]);
  });

  it("leaves a quote of an unnamed speaker and a title of a work to the editor", () => {
    expect(wire.quotes.map((q) => q.speaker?.kind ?? null)).toEqual(["PERSON", "UNNAMED", null]);
  });

  it("leaves a quote too long to store to the editor rather than cutting it", () => {
    const words = `${"We will rebuild. ".repeat(240)}We will,`;
    const long = story(`\u201C${words}\u201D said Ana Ruiz.`);
    expect(long.quotes[0]).toMatchObject({ quote: words, speaker: { name: "Ana Ruiz" } });
    expect(words.length).toBeGreaterThan(4000);
    expect(proposalsOf(long)).toEqual([]);
  });
});

describe("sourceDataFor", () => {
  const wire = { credit: "AP", headline: "Clinic closures under review" };

  it("keeps a named speaker's name, title and affiliation", () => {
    const data = sourceDataFor(
      { kind: "PERSON", name: "Chuck Ramirez", title: "Senate Majority Leader", affiliation: "D-Nev.", anonymityReason: null },
      wire,
    );
    expect(data).toEqual({ kind: "PERSON", name: "Chuck Ramirez", title: "Senate Majority Leader", affiliation: "D-Nev." });
    expect(() => assertSourceConsistent(data, undefined, "input")).not.toThrow();
  });

  it("describes an anonymous speaker as copy does, with the reason copy gives, labelled by story", () => {
    const data = sourceDataFor(
      {
        kind: "ANONYMOUS",
        name: "A state health official",
        title: null,
        affiliation: null,
        anonymityReason: "was not authorized to discuss the review publicly",
      },
      wire,
    );
    expect(data).toEqual({
      kind: "ANONYMOUS",
      name: "A state health official (AP: Clinic closures under review)",
      terms: "NOT_FOR_ATTRIBUTION",
      anonymousDescription: "A state health official",
      anonymityReason: "was not authorized to discuss the review publicly",
    });
    expect(() => assertSourceConsistent(data, undefined, "input")).not.toThrow();
  });
});
