import { ATTRIBUTION_ORDER } from "../attributions/attribution.rules.js";
import { badInput } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import { isAnonymousKind, type SourceKind } from "../sources/source.rules.js";
import type { Viewer } from "../users/users.rules.js";

/**
 * What must be true before a story goes out, by hand or on schedule: something to print, every
 * photo captioned and credited, and, following AP practice, every anonymous source it relies on
 * approved by an editor with its reason stated, and no attribution the importer proposed left
 * unconfirmed. The rules read facts loaded in one statement (PUBLISH_FACTS_SELECT), for one story
 * as it is published or for a page of them on the desk.
 */

/** What can stop a story going out; the schema's PublishBlockerKind. */
export const PUBLISH_BLOCKER_KINDS = {
  HEADLINE_MISSING: "HEADLINE_MISSING",
  BODY_MISSING: "BODY_MISSING",
  PHOTO_CAPTION_MISSING: "PHOTO_CAPTION_MISSING",
  PHOTO_CREDIT_MISSING: "PHOTO_CREDIT_MISSING",
  ANONYMITY_REASON_MISSING: "ANONYMITY_REASON_MISSING",
  ANONYMOUS_SOURCE_UNAPPROVED: "ANONYMOUS_SOURCE_UNAPPROVED",
  ATTRIBUTION_UNCONFIRMED: "ATTRIBUTION_UNCONFIRMED",
} as const;
export type PublishBlockerKind = keyof typeof PUBLISH_BLOCKER_KINDS;

export interface PublishBlocker {
  kind: PublishBlockerKind;
  /** Says what stops publication and how to clear it. */
  message: string;
  /** The story's field at fault, for blockers in the story's own fields. */
  field: string | null;
  sourceId: string | null;
  attributionId: string | null;
}

export interface PublishFacts {
  headline: string;
  /** Paragraphs are never blank: every writer refuses one (assertParagraphText). */
  paragraphCount: number;
  photos: { position: number; caption: string | null; credit: string | null }[];
  /** Every attribution, confirmed or not, in story order. */
  attributions: {
    id: string;
    confirmed: boolean;
    quote: string | null;
    /** 0 for the lede. */
    paragraphPosition: number;
    source: {
      id: string;
      kind: SourceKind;
      anonymousDescription: string | null;
      anonymityReason: string | null;
      anonymityApprovedAt: Date | null;
    };
  }[];
}

/** Everything the rules read of a story, in one statement (relationJoins). */
export const PUBLISH_FACTS_SELECT = {
  id: true,
  headline: true,
  firstPublishedAt: true,
  _count: { select: { paragraphs: true } },
  photos: { orderBy: { position: "asc" }, select: { position: true, caption: true, photo: { select: { caption: true, credit: true } } } },
  attributions: {
    orderBy: ATTRIBUTION_ORDER,
    select: {
      id: true,
      confirmed: true,
      quote: true,
      paragraph: { select: { position: true } },
      source: { select: { id: true, kind: true, anonymousDescription: true, anonymityReason: true, anonymityApprovedAt: true } },
    },
  },
} satisfies Prisma.StorySelect;

export type PublishFactsRow = Prisma.StoryGetPayload<{ select: typeof PUBLISH_FACTS_SELECT }>;

export function publishFactsOf(row: PublishFactsRow): PublishFacts {
  return {
    headline: row.headline,
    paragraphCount: row._count.paragraphs,
    // A placement's own caption stands in for the photo's in this story.
    photos: row.photos.map((placement) => ({
      position: placement.position,
      caption: placement.caption ?? placement.photo.caption,
      credit: placement.photo.credit,
    })),
    attributions: row.attributions.map(({ paragraph, ...attribution }) => ({ ...attribution, paragraphPosition: paragraph.position })),
  };
}

/** Publish blockers are the desk's: staff read them, the public never (null). */
export const readsPublishBlockers = (viewer: Viewer): boolean => viewer !== null;

const blocker = (kind: PublishBlockerKind, message: string, ids: Partial<Omit<PublishBlocker, "kind" | "message">> = {}) => ({
  kind,
  message,
  field: ids.field ?? null,
  sourceId: ids.sourceId ?? null,
  attributionId: ids.attributionId ?? null,
});

const QUOTE_SHOWN = 60;
const excerpt = (quote: string | null) =>
  quote === null ? "" : ` ("${quote.length > QUOTE_SHOWN ? `${quote.slice(0, QUOTE_SHOWN).trimEnd()}…` : quote}")`;

/**
 * Every blocker, in the order a desk clears them: the story's own fields, then each anonymous
 * source once, in order of first appearance, then each unconfirmed attribution as it stands in
 * the story. Empty when the story is ready.
 */
export function publishBlockers(story: PublishFacts): PublishBlocker[] {
  const blockers: PublishBlocker[] = [];
  if (story.headline.trim() === "") blockers.push(blocker("HEADLINE_MISSING", "The story needs a headline", { field: "headline" }));
  if (story.paragraphCount === 0) blockers.push(blocker("BODY_MISSING", "The story needs at least one paragraph", { field: "paragraphs" }));
  for (const photo of story.photos) {
    const which = `Photo ${photo.position + 1}`;
    if (!photo.caption?.trim()) {
      blockers.push(blocker("PHOTO_CAPTION_MISSING", `${which} has no caption`, { field: `photos[${photo.position}].caption` }));
    }
    if (!photo.credit?.trim()) {
      blockers.push(blocker("PHOTO_CREDIT_MISSING", `${which} has no credit`, { field: `photos[${photo.position}].credit` }));
    }
  }

  const anonymousSources = new Map(
    story.attributions.filter((a) => isAnonymousKind(a.source.kind)).map((a) => [a.source.id, a.source] as const),
  );
  for (const source of anonymousSources.values()) {
    const named = `The anonymous source "${source.anonymousDescription?.trim() || source.id}"`;
    if (!source.anonymityReason?.trim()) {
      blockers.push(
        blocker("ANONYMITY_REASON_MISSING", `${named} has no stated reason for its anonymity: state it (updateSource)`, {
          sourceId: source.id,
        }),
      );
    }
    if (source.anonymityApprovedAt === null) {
      blockers.push(
        blocker("ANONYMOUS_SOURCE_UNAPPROVED", `${named} is not approved: an editor must approve its anonymity (approveAnonymousSource)`, {
          sourceId: source.id,
        }),
      );
    }
  }

  for (const attribution of story.attributions.filter((a) => !a.confirmed)) {
    blockers.push(
      blocker(
        "ATTRIBUTION_UNCONFIRMED",
        `The attribution in paragraph ${attribution.paragraphPosition + 1}${excerpt(attribution.quote)} was proposed by the importer ` +
          "and nobody confirmed it: confirm it (confirmAttribution), or change or remove it",
        { attributionId: attribution.id, sourceId: attribution.source.id },
      ),
    );
  }
  return blockers;
}

/** Refuses publication naming every blocker, so the desk can clear them all at once; nothing is written. */
export function assertReadyToPublish(story: PublishFacts): void {
  const blockers = publishBlockers(story);
  if (blockers.length === 0) return;
  throw badInput(blockers[0]!.field ?? "id", `The story cannot be published: ${blockers.map((each) => each.message).join("; ")}`, {
    reason: "NOT_READY_TO_PUBLISH",
    blockers,
  });
}
