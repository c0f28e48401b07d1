import { readableAttributionsWhere } from "../attributions/attribution.rules.js";
import { containing } from "../db/filters.js";
import { badInput } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { Viewer } from "../users/users.rules.js";

export type SourceKind = "PERSON" | "ORGANIZATION" | "DOCUMENT" | "ANONYMOUS";

export type SourcingTerms = "ON_THE_RECORD" | "ON_BACKGROUND" | "NOT_FOR_ATTRIBUTION";

export interface SourceFacts {
  kind: SourceKind;
  terms?: SourcingTerms | null;
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
  if (source.terms && source.terms !== "ON_THE_RECORD" && !anonymous) {
    throw badInput(`${prefix}.terms`, `A source on ${source.terms} terms cannot be named in copy: make it an ANONYMOUS source`);
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
 * An editor approves an anonymous source's anonymity (AP practice) only once the reason for it is
 * stated; a named source has no anonymity to approve.
 */
export function assertAnonymityApprovable(source: SourceFacts): void {
  if (!isAnonymousKind(source.kind)) {
    throw badInput("id", `Only an ANONYMOUS source's anonymity is approved; this source is ${source.kind}`, { reason: "NOT_ANONYMOUS" });
  }
  if (!source.anonymityReason?.trim()) {
    throw badInput("anonymityReason", "State why anonymity was granted before approving it", { reason: "ANONYMITY_REASON_MISSING" });
  }
}

/**
 * An approval covers the source as it was approved: once it is no longer anonymous, or copy
 * describes it otherwise, or the reason for its anonymity changes, an editor approves it again.
 */
export function withdrawsAnonymityApproval(current: SourceFacts, next: SourceFacts): boolean {
  const same = (a: string | null | undefined, b: string | null | undefined) => (a?.trim() || null) === (b?.trim() || null);
  return (
    !isAnonymousKind(next.kind) ||
    !same(current.anonymousDescription, next.anonymousDescription) ||
    !same(current.anonymityReason, next.anonymityReason)
  );
}

interface PresentableSource {
  kind: SourceKind;
  name: string;
  title: string | null;
  affiliation: string | null;
  anonymousDescription: string | null;
  anonymityReason: string | null;
  anonymityApprovedAt: Date | null;
  anonymityApprovedById: string | null;
}

/**
 * What the public may see of a source. Of an anonymous source readers see only the description
 * used in copy: its internal label, title, affiliation and the reason for its anonymity could
 * each help identify it. Who approved its anonymity, and when, is the newsroom's.
 */
export function publicView<Source extends PresentableSource>(source: Source): Source {
  const newsroomOnly = { anonymityReason: null, anonymityApprovedAt: null, anonymityApprovedById: null };
  if (!isAnonymousKind(source.kind)) return { ...source, ...newsroomOnly };
  return { ...source, name: source.anonymousDescription ?? "Anonymous source", title: null, affiliation: null, ...newsroomOnly };
}

/**
 * Staff read every source, unquoted ones too; the public a source once an attribution they may
 * read (confirmed, in a story they may read) names it.
 */
export function readableSourcesWhere(viewer: Viewer): Prisma.SourceWhereInput {
  return viewer ? {} : { attributions: { some: readableAttributionsWhere(viewer) } };
}

/** Who knows an anonymous source's identity is for staff only; null: the public reads none of it. */
export function readableIdentityKeepersWhere(viewer: Viewer): Prisma.SourceIdentityKeeperWhereInput | null {
  return viewer ? {} : null;
}

/**
 * The sources a viewer finds by part of a name. Staff find a source by its name, an anonymous one
 * by its description too; the public never by an anonymous source's internal label, only by the
 * description copy uses.
 */
export function sourcesNamedWhere(viewer: Viewer, name: string): Prisma.SourceWhereInput {
  const byDescription = { kind: "ANONYMOUS" as const, anonymousDescription: containing(name) };
  const byName = viewer ? { name: containing(name) } : { kind: { not: "ANONYMOUS" as const }, name: containing(name) };
  return { OR: [byName, byDescription] };
}
