import { AppError, badInput, conflict, forbidden } from "../errors.js";
import { LIMITS } from "../db/column-limits.js";
import type { StoryEventAction } from "../audit/audit.rules.js";
import { whereToSql } from "../db/where-sql.js";
import { Prisma } from "../generated/prisma/client.js";
import { hasRole, requireStaff, type Staff, type Viewer } from "../users/users.rules.js";

export const STORY_STATUSES = ["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED", "KILLED"] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export type WorkflowAction = "submit" | "returnToDraft" | "publish" | "unpublish" | "archive" | "restore" | "kill";

interface Transition {
  from: readonly StoryStatus[];
  to: StoryStatus;
  /** What the audit trail calls this step. */
  event: StoryEventAction;
  /** Reporters may take this step on their own stories; otherwise it is an editor's. */
  reporterOnOwnStory: boolean;
}

/**
 * The publishing workflow. A reporter writes a DRAFT and submits it for review; an editor
 * publishes it, from review or straight from a draft, since an editor's own edit is the review
 * (breaking news).
 * Editors can send a story back, unpublish it, spike (archive) it at any stage, and restore it as
 * a draft. A kill withdraws a story for good, from any stage (a story unpublished or spiked may
 * still be in print or with clients): nothing moves a KILLED story again. Nothing else moves a
 * story's status.
 */
export const WORKFLOW: Record<WorkflowAction, Transition> = {
  submit: { from: ["DRAFT"], to: "IN_REVIEW", event: "SUBMITTED", reporterOnOwnStory: true },
  returnToDraft: { from: ["IN_REVIEW"], to: "DRAFT", event: "RETURNED_TO_DRAFT", reporterOnOwnStory: false },
  publish: { from: ["DRAFT", "IN_REVIEW"], to: "PUBLISHED", event: "PUBLISHED", reporterOnOwnStory: false },
  unpublish: { from: ["PUBLISHED"], to: "DRAFT", event: "UNPUBLISHED", reporterOnOwnStory: false },
  archive: { from: ["DRAFT", "IN_REVIEW", "PUBLISHED"], to: "ARCHIVED", event: "ARCHIVED", reporterOnOwnStory: false },
  restore: { from: ["ARCHIVED"], to: "DRAFT", event: "RESTORED", reporterOnOwnStory: false },
  kill: { from: ["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED"], to: "KILLED", event: "KILLED", reporterOnOwnStory: false },
};

export interface StoryAccessFacts {
  id: string;
  status: StoryStatus;
  authorId: string | null;
}

const isOwnStory = (staff: Staff, story: StoryAccessFacts) => story.authorId === staff.id;

/** Checks who may take a workflow step and whether the story's status allows it; returns the new status. */
export function authorizeTransition(viewer: Viewer, story: StoryAccessFacts, action: WorkflowAction): StoryStatus {
  const staff = requireStaff(viewer);
  const step = WORKFLOW[action];
  const allowed = hasRole(staff, "EDITOR") || (step.reporterOnOwnStory && isOwnStory(staff, story));
  if (!allowed) {
    throw forbidden(
      step.reporterOnOwnStory ? `Only the story's author or an editor may ${action} it` : `Only an editor may ${action} a story`,
    );
  }
  if (!step.from.includes(story.status)) {
    throw conflict(`Cannot ${action} a story that is ${story.status}; allowed from ${step.from.join(" or ")}`, undefined, {
      reason: "INVALID_TRANSITION",
      status: story.status,
    });
  }
  return step.to;
}

/** Reporters edit their own drafts; editors edit anything not archived or killed. */
export function authorizeEdit(viewer: Viewer, story: StoryAccessFacts): Staff {
  const staff = requireStaff(viewer);
  if (story.status === "KILLED") {
    throw conflict("The story was killed; a killed story is kept as it was and cannot be edited", undefined, {
      reason: "INVALID_TRANSITION",
      status: story.status,
    });
  }
  if (story.status === "ARCHIVED") {
    throw conflict("The story is ARCHIVED; restore it before editing", undefined, {
      reason: "INVALID_TRANSITION",
      status: story.status,
    });
  }
  if (hasRole(staff, "EDITOR")) return staff;
  if (!isOwnStory(staff, story)) throw forbidden("Reporters may edit only their own stories");
  if (story.status !== "DRAFT") throw forbidden(`Reporters may edit only drafts; this story is ${story.status}`);
  return staff;
}

export function authorizeDelete(viewer: Viewer, story: StoryAccessFacts): Staff {
  const staff = requireStaff(viewer);
  if (!hasRole(staff, "EDITOR") && !isOwnStory(staff, story)) {
    throw forbidden("Reporters may delete only their own drafts");
  }
  if (story.status !== "DRAFT") {
    throw conflict(`Only drafts can be deleted; this story is ${story.status}. Archive it instead`, undefined, {
      reason: "INVALID_TRANSITION",
      status: story.status,
    });
  }
  return staff;
}

// ---------------------------------------------------------------- what a viewer may read

/**
 * Published stories the public may not read yet: under an embargo that has not lifted by `now`.
 * Few at any time, and read from a partial index on embargoed_until (see the kill_embargo
 * migration), so the public's count and the response cache's next embargo lift cost next to nothing.
 */
export function embargoedPublishedWhere(now: Date): Prisma.StoryWhereInput {
  return { status: "PUBLISHED", embargoedUntil: { gt: now } };
}

/**
 * The stories a viewer may read: staff read every story, the public published ones whose embargo
 * (if any) has lifted by `now`. This is the one definition of a story's visibility; every read path
 * (lookups, lists, counts, loaders, nested fields, the search SQL below) takes it from here. A
 * killed story is no longer PUBLISHED, so it leaves all of them at once.
 */
export function readableStoriesWhere(viewer: Viewer, now: Date = new Date()): Prisma.StoryWhereInput {
  return viewer ? {} : { status: "PUBLISHED", OR: [{ embargoedUntil: null }, { embargoedUntil: { lte: now } }] };
}

/** The same rule in SQL over the stories table under the alias `table`, for full-text search. */
export function readableStoriesSql(viewer: Viewer, table: string, now: Date = new Date()): Prisma.Sql {
  return whereToSql(readableStoriesWhere(viewer, now), table);
}

/**
 * Of a story the viewer may read, whether they may read its body too. A RETRACTION keeps the
 * headline, dateline, credit, bylines and correction notes public, and takes the rest from the
 * public: summary, paragraphs (and so bodyText), photo placements (so the story leaves its photos'
 * stories) and attributions (so it leaves its sources' attributions). Staff read everything.
 */
export function readableBodyOfStoryWhere(viewer: Viewer): Prisma.StoryWhereInput {
  return viewer ? {} : { retractedAt: null };
}

/** readableBodyOfStoryWhere for a story already read. */
export function mayReadBody(viewer: Viewer, story: { retractedAt: Date | null }): boolean {
  return viewer !== null || story.retractedAt === null;
}

/** The stories whose body the viewer may read. */
export function readableBodiesWhere(viewer: Viewer, now: Date = new Date()): Prisma.StoryWhereInput {
  return { ...readableStoriesWhere(viewer, now), ...readableBodyOfStoryWhere(viewer) };
}

/**
 * For a row of a story's body (a paragraph, a placement, an attribution): that the viewer may read
 * the story and its body. Empty when the viewer may read every story, so that no join is asked for.
 */
export function inReadableBodyWhere(viewer: Viewer, now: Date = new Date()): { story?: Prisma.StoryWhereInput } {
  const stories = readableBodiesWhere(viewer, now);
  return Object.keys(stories).length === 0 ? {} : { story: stories };
}

/** Paragraphs are read with their story's body. */
export function readableParagraphsWhere(viewer: Viewer): Prisma.ParagraphWhereInput {
  return inReadableBodyWhere(viewer);
}

/**
 * What of a story's search document (search_vector: headline weighted A, summary B, body C) the
 * viewer may match and be ranked on, as SQL over the alias `table`: all of it, or for a story whose
 * body they may not read, the headline alone.
 */
export function searchableDocumentSql(viewer: Viewer, table: string): Prisma.Sql {
  const document = Prisma.raw(`${table}.search_vector`);
  if (viewer) return document;
  return Prisma.sql`CASE WHEN ${whereToSql(readableBodyOfStoryWhere(viewer), table)} THEN ${document} ELSE ts_filter(${document}, '{a}') END`;
}

/**
 * A story's history (story_events) is the newsroom's: staff read all of it, and for the public
 * there is none to read, which null says (Story.history answers null rather than an empty list).
 */
export function readableHistoryWhere(viewer: Viewer): Prisma.StoryEventWhereInput | null {
  return viewer ? {} : null;
}

/**
 * The kill notices a viewer may read by slug: the public those of stories it once could read
 * (published before the kill); staff every killed story's.
 */
export function readableKillNoticesWhere(viewer: Viewer): Prisma.StoryWhereInput {
  return viewer ? { status: "KILLED" } : { status: "KILLED", firstPublishedAt: { not: null } };
}

/**
 * How a viewer's list limited by status alone is counted without reading it: the counts kept per
 * status of `statuses`, less the stories of `heldBack` (published stories the public may not read
 * yet), which are few and indexed. The two describe readableStoriesWhere, so that the count is the
 * list's length (tests/api/kill-embargo.test.ts counts the public's list while a story is embargoed).
 */
export interface ListCountPlan {
  statuses: StoryStatus[];
  heldBack: Prisma.StoryWhereInput | null;
}

export function listCountPlan(viewer: Viewer, status: StoryStatus | null | undefined, now: Date = new Date()): ListCountPlan {
  const readable: readonly StoryStatus[] = viewer ? STORY_STATUSES : ["PUBLISHED"];
  const statuses = status ? readable.filter((each) => each === status) : [...readable];
  return { statuses, heldBack: !viewer && statuses.includes("PUBLISHED") ? embargoedPublishedWhere(now) : null };
}

/** A write names the version it read; any other version means someone saved in between. */
export function checkVersion(current: number, expected: number): void {
  if (current !== expected) {
    throw new AppError(
      "CONFLICT",
      `The story was changed by someone else: you edited version ${expected}, it is now at version ${current}. Reload and apply your change again`,
      "expectedVersion",
      { reason: "STALE_VERSION", currentVersion: current },
    );
  }
}

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = LIMITS.slug;

export function assertValidSlug(slug: string, field: string): void {
  if (slug.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(slug)) {
    throw badInput(
      field,
      `A slug is lowercase letters, digits and single hyphens, at most ${SLUG_MAX_LENGTH} characters; got "${slug.slice(0, 50)}"`,
    );
  }
}

/** The next free slug after `base` given the taken ones that share its stem: base, base-2, base-3... */
export function nextFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/, "") + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * New positions after moving one item of an ordered list. Returns the ids in their new order;
 * the position is clamped to the list, so "move to the end" can be said with a large number.
 */
export function reorder(ids: readonly string[], movingId: string, toPosition: number): string[] {
  const from = ids.indexOf(movingId);
  if (from === -1) throw new Error(`reorder: ${movingId} is not in the list`);
  const rest = ids.filter((id) => id !== movingId);
  const at = Math.max(0, Math.min(toPosition, rest.length));
  return [...rest.slice(0, at), movingId, ...rest.slice(at)];
}

/** The paragraphs as printed: the dateline, and the credit with it, before the lede, as wire copy puts them. */
export function printedParagraphs(
  story: { dateline: string | null; credit: string | null },
  paragraphs: readonly { text: string }[],
): string[] {
  const printed = paragraphs.map((p) => p.text);
  if (printed.length > 0 && story.dateline) {
    const credit = story.credit ? ` (${story.credit})` : "";
    printed[0] = `${story.dateline}${credit} — ${printed[0]}`;
  }
  return printed;
}

export function assertParagraphText(text: string, field: string): void {
  if (text.trim() === "") throw badInput(field, "A paragraph needs text");
  if (text.length > LIMITS.paragraph) throw badInput(field, `A paragraph is at most ${LIMITS.paragraph} characters`);
}
