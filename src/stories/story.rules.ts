import { AppError, badInput, conflict, forbidden } from "../errors.js";
import { LIMITS } from "../db/column-limits.js";
import type { StoryEventAction } from "../audit/audit.rules.js";
import { whereToSql } from "../db/where-sql.js";
import type { Prisma } from "../generated/prisma/client.js";
import { hasRole, requireStaff, type Staff, type Viewer } from "../users/users.rules.js";

export const STORY_STATUSES = ["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED"] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export type WorkflowAction = "submit" | "returnToDraft" | "publish" | "unpublish" | "archive" | "restore";

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
 * a draft. Nothing else moves a story's status.
 */
export const WORKFLOW: Record<WorkflowAction, Transition> = {
  submit: { from: ["DRAFT"], to: "IN_REVIEW", event: "SUBMITTED", reporterOnOwnStory: true },
  returnToDraft: { from: ["IN_REVIEW"], to: "DRAFT", event: "RETURNED_TO_DRAFT", reporterOnOwnStory: false },
  publish: { from: ["DRAFT", "IN_REVIEW"], to: "PUBLISHED", event: "PUBLISHED", reporterOnOwnStory: false },
  unpublish: { from: ["PUBLISHED"], to: "DRAFT", event: "UNPUBLISHED", reporterOnOwnStory: false },
  archive: { from: ["DRAFT", "IN_REVIEW", "PUBLISHED"], to: "ARCHIVED", event: "ARCHIVED", reporterOnOwnStory: false },
  restore: { from: ["ARCHIVED"], to: "DRAFT", event: "RESTORED", reporterOnOwnStory: false },
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

/** Reporters edit their own drafts; editors edit anything not archived. */
export function authorizeEdit(viewer: Viewer, story: StoryAccessFacts): Staff {
  const staff = requireStaff(viewer);
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
 * The stories a viewer may read: staff read every story, the public published ones only. This is
 * the one definition of a story's visibility; every read path (lookups, lists, counts, loaders,
 * nested fields, the search SQL below) takes it from here.
 */
export function readableStoriesWhere(viewer: Viewer): Prisma.StoryWhereInput {
  return viewer ? {} : { status: "PUBLISHED" };
}

/** The same rule in SQL over the stories table under the alias `table`, for full-text search. */
export function readableStoriesSql(viewer: Viewer, table: string): Prisma.Sql {
  return whereToSql(readableStoriesWhere(viewer), table);
}

/**
 * For a row that belongs to a story (a paragraph, a placement, an attribution): that the story is
 * one the viewer may read. Empty when the viewer may read every story, so that no join is asked for.
 */
export function inReadableStoryWhere(viewer: Viewer): { story?: Prisma.StoryWhereInput } {
  const stories = readableStoriesWhere(viewer);
  return Object.keys(stories).length === 0 ? {} : { story: stories };
}

/** Paragraphs are read with their story. */
export function readableParagraphsWhere(viewer: Viewer): Prisma.ParagraphWhereInput {
  return inReadableStoryWhere(viewer);
}

/**
 * A story's history (story_events) is the newsroom's: staff read all of it, and for the public
 * there is none to read, which null says (Story.history answers null rather than an empty list).
 */
export function readableHistoryWhere(viewer: Viewer): Prisma.StoryEventWhereInput | null {
  return viewer ? {} : null;
}

/**
 * The statuses a viewer's list holds when the reader's rule and a status filter are all that
 * limit it, so that its length is the sum of the counts kept per status; null when the reader's
 * rule limits more than status (then the list is counted as any filtered list is).
 */
export function listedStatuses(viewer: Viewer, status: StoryStatus | null | undefined): StoryStatus[] | null {
  const { status: readable, ...otherwise } = readableStoriesWhere(viewer);
  if (Object.keys(otherwise).length > 0 || (readable !== undefined && typeof readable !== "string")) return null;
  const statuses: readonly StoryStatus[] = readable ? [readable as StoryStatus] : STORY_STATUSES;
  return status ? statuses.filter((each) => each === status) : [...statuses];
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
