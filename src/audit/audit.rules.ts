/**
 * Every action the audit trail records, one name each. A story's history (story_events) and its
 * revisions name the change that made them with one of these.
 */
export const STORY_EVENT_ACTIONS = [
  "CREATED",
  "IMPORTED",
  "UPDATED",
  "DELETED",
  "SUBMITTED",
  "RETURNED_TO_DRAFT",
  "PUBLISHED",
  "UNPUBLISHED",
  "ARCHIVED",
  "RESTORED",
  "SCHEDULED",
  "UNSCHEDULED",
  "KILLED",
  "REVISION_RESTORED",
  "PARAGRAPH_ADDED",
  "PARAGRAPH_EDITED",
  "PARAGRAPH_MOVED",
  "PARAGRAPH_REMOVED",
  "PHOTO_ATTACHED",
  "PHOTO_DETACHED",
  "PHOTO_MOVED",
  "PHOTO_UPDATED",
  "PHOTO_EDITED",
  "SOURCE_UPDATED",
  "SOURCE_MERGED",
  "SOURCE_ANONYMITY_APPROVED",
  "ATTRIBUTION_ADDED",
  "ATTRIBUTION_UPDATED",
  "ATTRIBUTION_REMOVED",
  "ATTRIBUTION_CONFIRMED",
  // Who is editing (src/live/): advice, recorded without a new version.
  "EDITING_STARTED",
  "EDITING_ENDED",
] as const;

export type StoryEventAction = (typeof STORY_EVENT_ACTIONS)[number];
