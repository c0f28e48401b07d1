import { describe, expect, it } from "vitest";
import { detectAttributions, type Speaker } from "../../../src/wire/wire.parser.js";
import { CORPUS, type ExpectedSpeaker } from "./attribution-corpus.js";

/** Kinds the importer turns into sources; an UNNAMED description is left for the editor. */
const PROPOSED_KINDS = new Set(["PERSON", "ORGANIZATION", "ANONYMOUS"]);

function sameSpeaker(found: Speaker, expected: ExpectedSpeaker | null): boolean {
  return (
    expected !== null &&
    found.kind === expected.kind &&
    found.name === expected.name &&
    found.title === (expected.title ?? null) &&
    found.affiliation === (expected.affiliation ?? null) &&
    found.anonymityReason === (expected.anonymityReason ?? null)
  );
}

const describeSpeaker = (speaker: Speaker | ExpectedSpeaker | null): string => (speaker === null ? "none" : JSON.stringify(speaker));

function score() {
  let proposals = 0;
  let correct = 0;
  let expectedSpeakers = 0;
  let unnamedExpected = 0;
  let unnamedFound = 0;
  const corpusErrors: string[] = [];
  const wrong: string[] = [];
  const missed: string[] = [];

  for (const entry of CORPUS) {
    const { quotes, paraphrases } = detectAttributions(entry.copy);
    const found = [
      ...quotes.map((q) => ({ words: q.quote, paraphrase: false, speaker: q.speaker })),
      ...paraphrases.map((p) => ({ words: p.claim, paraphrase: true, speaker: p.speaker })),
    ];
    for (const expected of entry.attributions) {
      const isProposable = expected.speaker !== null && PROPOSED_KINDS.has(expected.speaker.kind);
      if (isProposable) expectedSpeakers += 1;
      if (expected.speaker?.kind === "UNNAMED") unnamedExpected += 1;
      const match = found.find((f) => f.words === expected.words && f.paraphrase === (expected.paraphrase === true));
      if (match === undefined && !expected.paraphrase) corpusErrors.push(`${entry.about}: no quote “${expected.words}” was found`);
      if (match?.speaker?.kind === "UNNAMED" && sameSpeaker(match.speaker, expected.speaker)) unnamedFound += 1;
      if (isProposable && !(match?.speaker && sameSpeaker(match.speaker, expected.speaker))) {
        missed.push(
          `${entry.about}: “${expected.words}” expected ${describeSpeaker(expected.speaker)}, got ${describeSpeaker(match?.speaker ?? null)}`,
        );
      }
    }
    for (const f of found) {
      const expected = entry.attributions.find((a) => a.words === f.words && (a.paraphrase === true) === f.paraphrase);
      if (expected === undefined && !f.paraphrase) corpusErrors.push(`${entry.about}: the corpus does not say who said “${f.words}”`);
      if (f.speaker === null || !PROPOSED_KINDS.has(f.speaker.kind)) continue;
      proposals += 1;
      if (sameSpeaker(f.speaker, expected?.speaker ?? null)) correct += 1;
      else
        wrong.push(
          `${entry.about}: “${f.words}” proposed ${describeSpeaker(f.speaker)}, expected ${describeSpeaker(expected?.speaker ?? null)}`,
        );
    }
  }
  return { proposals, correct, expectedSpeakers, unnamedExpected, unnamedFound, corpusErrors, wrong, missed };
}

describe("speaker detection on the attribution corpus", () => {
  const result = score();
  const precision = result.correct / result.proposals;
  const recall = result.correct / result.expectedSpeakers;

  it("reports precision and recall", () => {
    const lines = [
      `Attribution corpus: ${CORPUS.length} cases, ${result.expectedSpeakers} speakers to propose, ${result.proposals} proposed, ${result.correct} correct`,
      `  precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  unnamed speakers described ${result.unnamedFound}/${result.unnamedExpected}`,
      ...result.wrong.map((line) => `  wrong: ${line}`),
      ...result.missed.map((line) => `  missed: ${line}`),
    ];
    console.log(lines.join("\n"));
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(result.corpusErrors).toEqual([]);
  });

  it("proposes a wrong speaker for at most 5% of its proposals", () => {
    expect(precision).toBeGreaterThanOrEqual(0.95);
  });

  it("proposes the right speaker for at least 85% of the speakers an editor would name", () => {
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });
});
