import { describe, expect, it } from "vitest";
import { closesPhrase, sentenceEnds, tokenize, trimmedEnd } from "../../../src/wire/parser/sentences.js";

const sentences = (text: string): string[] => {
  const ends = sentenceEnds(text);
  return ends.map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end).trim());
};

describe("sentenceEnds", () => {
  it("ends sentences at . ! and ? followed by a capital, a digit or an opening mark", () => {
    expect(sentences("The river rose. 200 homes flooded! Was it expected? \u201CNo,\u201D she said.")).toEqual([
      "The river rose.",
      "200 homes flooded!",
      "Was it expected?",
      "\u201CNo,\u201D she said.",
    ]);
  });

  it("keeps a closing quote mark or parenthesis with the sentence it ends", () => {
    expect(sentences("He called it \u201Cover.\u201D Then he left. (It was late.) Nobody stayed.")).toEqual([
      "He called it \u201Cover.\u201D",
      "Then he left.",
      "(It was late.)",
      "Nobody stayed.",
    ]);
  });

  it("does not end a sentence after a title, a month or an initial", () => {
    expect(sentences("Gen. Frank McKenzie met Sen. Ana Ruiz on Jan. 3 in the U.S. Capitol. J. Smith was there.")).toEqual([
      "Gen. Frank McKenzie met Sen. Ana Ruiz on Jan. 3 in the U.S. Capitol.",
      "J. Smith was there.",
    ]);
  });

  it("lets a state abbreviation end a sentence, as AP copy does", () => {
    expect(sentences("She grew up in Reno, Nev. Her family still lives there.")).toEqual([
      "She grew up in Reno, Nev.",
      "Her family still lives there.",
    ]);
  });

  it("does not end a sentence before a lowercase word", () => {
    expect(sentences("The 4 p.m. meeting ran late.")).toEqual(["The 4 p.m. meeting ran late."]);
  });
});

describe("tokenize", () => {
  it("gives each word by offsets, with its punctuation stripped once", () => {
    const text = "  said \u201CGen. Smith,\u201D  today.";
    const tokens = tokenize(text, 0, text.length);
    expect(tokens.map((t) => [t.text, t.word])).toEqual([
      ["said", "said"],
      ["\u201CGen.", "Gen"],
      ["Smith,\u201D", "Smith"],
      ["today.", "today"],
    ]);
    for (const token of tokens) expect(text.slice(token.start, token.end)).toBe(token.text);
  });

  it("stops at the limit", () => {
    expect(tokenize("one two three four", 0, 18, 2).map((t) => t.word)).toEqual(["one", "two"]);
  });
});

describe("trimmedEnd and closesPhrase", () => {
  const token = (text: string) => tokenize(text, 0, text.length)[0]!;

  it.each([
    ["Smith,", "Smith", true],
    ["Smith.", "Smith", true],
    ["Calif.", "Calif.", false],
    ["U.S.", "U.S.", false],
    ["Gen.", "Gen.", false],
    ["Calif.,", "Calif.", true],
    ["Smith", "Smith", false],
  ])("%j ends its word at %j (closes a phrase: %s)", (text, kept, closes) => {
    expect(text.slice(0, trimmedEnd(token(text)))).toBe(kept);
    expect(closesPhrase(token(text))).toBe(closes);
  });
});
