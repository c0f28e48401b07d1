import { badInput } from "../errors.js";

export type SourceKind = "PERSON" | "ORGANIZATION" | "DOCUMENT" | "ANONYMOUS";

export interface SourceFacts {
  kind: SourceKind;
  anonymousDescription?: string | null;
  anonymityReason?: string | null;
}

export const isAnonymousKind = (kind: SourceKind) => kind === "ANONYMOUS";

/**
 * An anonymous source must say how copy describes it and why anonymity was granted; a named
 * source must not carry those fields, so they cannot leak a half-anonymised record.
 */
export function assertSourceConsistent(source: SourceFacts, isAnonymous: boolean | null | undefined, prefix: string): void {
  const anonymous = isAnonymousKind(source.kind);
  if (isAnonymous !== undefined && isAnonymous !== null && isAnonymous !== anonymous) {
    throw badInput(`${prefix}.isAnonymous`, `isAnonymous must be ${anonymous} for a source of kind ${source.kind}`);
  }
  if (anonymous) {
    if (!source.anonymousDescription?.trim()) {
      throw badInput(`${prefix}.anonymousDescription`, "An anonymous source needs the description used in copy");
    }
    if (!source.anonymityReason?.trim()) {
      throw badInput(`${prefix}.anonymityReason`, "An anonymous source needs the reason anonymity was granted");
    }
  } else if (source.anonymousDescription?.trim() || source.anonymityReason?.trim()) {
    throw badInput(
      `${prefix}.${source.anonymousDescription?.trim() ? "anonymousDescription" : "anonymityReason"}`,
      "Only an ANONYMOUS source has an anonymous description or anonymity reason",
    );
  }
}

/**
 * What the public may see of a source. An anonymous source's internal label and the reason for
 * its anonymity are newsroom-only; readers see the description used in copy.
 */
export function publicSourceName(source: { kind: SourceKind; name: string; anonymousDescription: string | null }): string {
  return isAnonymousKind(source.kind) ? (source.anonymousDescription ?? "Anonymous source") : source.name;
}
