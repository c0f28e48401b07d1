import { isUuid } from "./ids.js";

/**
 * The channel on which the database announces every committed change the public can see
 * (triggers in prisma/migrations/20261201071000_public_content_notifications).
 */
export const PUBLIC_CONTENT_CHANNEL = "public_content_changed";

/** The published stories a change touched, or "all" when it could touch any (too many ids, a TRUNCATE). */
export type PublicContentChange = readonly string[] | "all";

/** Reads a notification's payload: comma-separated story ids, or "all". Anything else counts as "all". */
export function parsePublicContentChange(payload: string): PublicContentChange {
  if (payload === "all") return "all";
  const storyIds = payload.split(",");
  return storyIds.every(isUuid) ? storyIds : "all";
}
