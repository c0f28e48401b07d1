import type { StoryStatus } from "../stories/story.rules.js";
import type { Viewer } from "../users/users.rules.js";

/**
 * What the live desk reports, in the desk's words. Each audit action (src/audit/audit.rules.ts)
 * maps to one kind; an action added later (by another feature) arrives as UPDATED, with its own
 * name in StoryChange.action, so no change is ever left unreported.
 */
export const STORY_CHANGE_KINDS = [
  "CREATED",
  "UPDATED",
  "SUBMITTED",
  "PUBLISHED",
  "UNPUBLISHED",
  "KILLED",
  "CORRECTED",
  "IMPORTED",
  "ATTRIBUTION_PROPOSED",
  "ATTRIBUTION_CONFIRMED",
  "EDITING_STARTED",
  "EDITING_ENDED",
] as const;

export type StoryChangeKind = (typeof STORY_CHANGE_KINDS)[number];

/** Actions whose kind is not their own name. */
const KIND_OF_ACTION: Readonly<Record<string, StoryChangeKind>> = {
  // A reporter or editor adding an attribution confirms it as they add it; the wire's proposals
  // arrive with its IMPORTED event.
  ATTRIBUTION_ADDED: "ATTRIBUTION_CONFIRMED",
};

const isKind = (name: string): name is StoryChangeKind => (STORY_CHANGE_KINDS as readonly string[]).includes(name);

/** Who-is-editing events carry the story's version as it stands, which a correction may have made. */
const LEASE_ACTIONS: readonly string[] = ["EDITING_STARTED", "EDITING_ENDED"];

/**
 * The kind of one committed audit event. A change that came with a correction note (any action
 * that changed printed words of a published story) is CORRECTED: that is what the desk and readers
 * need to hear.
 */
export function kindOfEvent(action: string, withCorrection: boolean): StoryChangeKind {
  if (withCorrection && !LEASE_ACTIONS.includes(action)) return "CORRECTED";
  return KIND_OF_ACTION[action] ?? (isKind(action) ? action : "UPDATED");
}

/** The facts of an audit event that decide who hears of it. */
export interface EventFacts {
  kind: StoryChangeKind;
  fromStatus: StoryStatus | null;
  toStatus: StoryStatus | null;
}

/**
 * Whether a viewer hears of an event on storyChanged at all. Staff hear everything. The public
 * hears of changes a reader could see: those that leave a story published or take it out of
 * publication; never of a draft's edits, nor of who is editing (newsroom business).
 */
export function viewerHearsOf(viewer: Viewer, event: EventFacts): boolean {
  if (viewer) return true;
  if (event.kind === "EDITING_STARTED" || event.kind === "EDITING_ENDED") return false;
  return event.toStatus === "PUBLISHED" || event.fromStatus === "PUBLISHED";
}

/**
 * Whether a public subscriber still hears of an event once it is known whether the story, as it is
 * now, is readable to them. An event on a story the public cannot read (under embargo, say) is not
 * theirs to hear, not even without the story, save the one that took it out of publication.
 */
export function publicHearsOnceLoaded(event: EventFacts, readableNow: boolean): boolean {
  return readableNow || (event.fromStatus === "PUBLISHED" && event.toStatus !== "PUBLISHED");
}

/**
 * Whether the story may be shown with an event the viewer hears of, given that the story, as it
 * is now, is readable to them (readableStoriesWhere). For the public, only with an event that
 * left it published: one that took it out of publication comes without the story.
 */
export function showsStoryWith(viewer: Viewer, event: EventFacts, readableNow: boolean): boolean {
  return readableNow && (viewer !== null || event.toStatus === "PUBLISHED");
}

/**
 * Close codes of the live connection (graphql-ws at the GraphQL path). graphql-ws's own: 4400 bad
 * message, 4401 subscribe before connection_init, 4408 no connection_init in time, 4409 a
 * subscription id in use, 4429 connection_init sent twice. These are ours.
 */
export const LIVE_CLOSE = {
  /** The token in connection_init is unknown, revoked or expired, or was revoked while connected. */
  FORBIDDEN: { code: 4403, reason: "Forbidden: the token is unknown, revoked or expired" },
  /** One more subscription than a connection may hold. */
  TOO_MANY_SUBSCRIPTIONS: { code: 4430, reason: "Too many subscriptions on this connection" },
  /** One more connection than a token may hold (on this instance). */
  TOO_MANY_CONNECTIONS: { code: 4431, reason: "Too many connections for this token" },
  /** A subscriber that does not read its events fast enough: its queue or send buffer overflowed. */
  TOO_SLOW: { code: 4432, reason: "Subscriber too slow: its events overflowed" },
  /** The database cannot be reached just now to check the token: reconnect shortly. */
  TRY_AGAIN_LATER: { code: 1013, reason: "The database cannot be reached just now; try again shortly" },
  /** The server is shutting down: reconnect, to another instance if there is one. */
  GOING_AWAY: { code: 1001, reason: "Server shutting down" },
} as const;
