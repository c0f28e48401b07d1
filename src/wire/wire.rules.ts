import { createHash } from "node:crypto";
import { LIMITS } from "../db/column-limits.js";
import type { ParsedCaption, Speaker, WireStory } from "./wire.parser.js";

/** A speaker the importer makes or finds a source for; an UNNAMED description is left to the editor. */
export type SourcedSpeaker = Speaker & { kind: "PERSON" | "ORGANIZATION" | "ANONYMOUS" };

/** An attribution the importer proposes, unconfirmed, for an editor to confirm or correct. */
export interface ProposedAttribution {
  paragraphIndex: number;
  kind: "DIRECT_QUOTE" | "PARAPHRASE";
  /** The quote verbatim, or the claim of a paraphrase as printed. */
  words: string;
  speaker: SourcedSpeaker;
}

const isSourced = (speaker: Speaker | null): speaker is SourcedSpeaker => speaker !== null && speaker.kind !== "UNNAMED";

/** Whether every part of a speaker fits its column; a speaker that does not is left to the editor rather than cut. */
function fits(speaker: SourcedSpeaker): boolean {
  const within = (value: string | null, max: number) => (value?.length ?? 0) <= max;
  return (
    within(speaker.name, speaker.kind === "ANONYMOUS" ? LIMITS.anonymousDescription : LIMITS.sourceName) &&
    within(speaker.title, LIMITS.sourceTitle) &&
    within(speaker.affiliation, LIMITS.sourceAffiliation) &&
    within(speaker.anonymityReason, LIMITS.anonymityReason)
  );
}

/**
 * What the importer proposes from a parsed story, in story order: every quote with a named or
 * anonymous speaker, and every claim an anonymous source makes outside quotation marks.
 */
export function proposalsOf(wire: WireStory): ProposedAttribution[] {
  const proposals: ProposedAttribution[] = [];
  for (const quote of wire.quotes) {
    if (isSourced(quote.speaker) && fits(quote.speaker) && quote.quote.length <= LIMITS.quote) {
      proposals.push({ paragraphIndex: quote.paragraphIndex, kind: "DIRECT_QUOTE", words: quote.quote, speaker: quote.speaker });
    }
  }
  for (const paraphrase of wire.paraphrases) {
    if (isSourced(paraphrase.speaker) && fits(paraphrase.speaker) && paraphrase.claim.length <= LIMITS.quote) {
      proposals.push({
        paragraphIndex: paraphrase.paragraphIndex,
        kind: "PARAPHRASE",
        words: paraphrase.claim,
        speaker: paraphrase.speaker,
      });
    }
  }
  return proposals.sort((a, b) => a.paragraphIndex - b.paragraphIndex);
}

/** One key per speaker of a story: a name, or an anonymous description with its reason. */
export function speakerKey(speaker: SourcedSpeaker): string {
  return speaker.kind === "ANONYMOUS" ? `anonymous:${speaker.name}\n${speaker.anonymityReason}` : `named:${speaker.name.toLowerCase()}`;
}

/**
 * The source record for a speaker. An anonymous source is described as copy describes it, with
 * the reason copy gives, on NOT_FOR_ATTRIBUTION terms; its name is an internal label that says
 * which story it came from, since "a senior official" names nobody across stories.
 */
export function sourceDataFor(speaker: SourcedSpeaker, wire: Pick<WireStory, "credit" | "headline">) {
  if (speaker.kind !== "ANONYMOUS") {
    return { kind: speaker.kind, name: speaker.name, title: speaker.title, affiliation: speaker.affiliation };
  }
  return {
    kind: speaker.kind,
    name: `${speaker.name} (${wire.credit}: ${wire.headline})`.slice(0, LIMITS.sourceName),
    terms: "NOT_FOR_ATTRIBUTION" as const,
    anonymousDescription: speaker.name,
    anonymityReason: speaker.anonymityReason,
  };
}

/**
 * What identifies a wire text: the SHA-256 (hex) of its UTF-8 bytes as filed. A leading
 * byte-order mark is left out: it is an encoding artefact, which the parser drops too.
 */
export function wireContentHash(text: string): string {
  return createHash("sha256")
    .update(text.startsWith("\uFEFF") ? text.slice(1) : text, "utf8")
    .digest("hex");
}

/**
 * The dates a caption gives its photo: its day as the time it was taken (midnight UTC, since a
 * caption gives no hour), and for a file photo the same day as its original date.
 */
export function captionDates(caption: Pick<ParsedCaption, "takenOn" | "isFilePhoto">): { takenAt: Date | null; originalDate: Date | null } {
  const day = caption.takenOn ? new Date(`${caption.takenOn}T00:00:00.000Z`) : null;
  return { takenAt: day, originalDate: caption.isFilePhoto ? day : null };
}
