import type { OperationContext } from "../context/operation-context.js";
import type { Transaction } from "../db/client.js";
import { DEFAULT_NESTED_SIZE, pageSize } from "../db/pagination.js";
import type { Prisma, Story } from "../generated/prisma/client.js";
import { readableHistoryWhere, type StoryStatus } from "../stories/story.rules.js";
import type { StoryEventAction } from "./audit.rules.js";

export interface EventToRecord {
  actorId: string | null;
  /** The story as the change left it. */
  story: Pick<Story, "id" | "version" | "status">;
  action: StoryEventAction;
  fromStatus: StoryStatus | null;
  /** What else the change recorded, e.g. a scheduled publication's publishAt. */
  details?: Prisma.InputJsonObject;
}

/** Appends to the audit trail inside the change's own transaction: no change without its record. */
export async function recordEvent(
  tx: Transaction,
  actorId: string | null,
  story: Pick<Story, "id" | "version" | "status">,
  action: StoryEventAction,
  fromStatus: StoryStatus | null,
  details?: Prisma.InputJsonObject,
): Promise<void> {
  await recordEvents(tx, [{ actorId, story, action, fromStatus, details }]);
}

/** recordEvent for several changes of one transaction (a batch the scheduler publishes), in one statement, in order. */
export async function recordEvents(tx: Transaction, events: EventToRecord[]): Promise<void> {
  if (events.length === 0) return;
  await tx.storyEvent.createMany({
    data: events.map(({ actorId, story, action, fromStatus, details }) => ({
      storyId: story.id,
      actorId,
      action,
      version: story.version,
      fromStatus,
      toStatus: story.status,
      details,
    })),
  });
}

/** Newest first, since a desk asks what just happened; cut at `first`. Null for a viewer who may read no history. */
export async function historyOf(ctx: OperationContext, storyId: string, first?: number | null) {
  if (readableHistoryWhere(ctx.viewer) === null) return null;
  const limit = pageSize(first, "first", DEFAULT_NESTED_SIZE);
  return (await ctx.loaders.eventsByStory.load(storyId)).slice(-limit).reverse();
}

export async function actorOfEvent(ctx: OperationContext, event: { actorId: string | null }) {
  return event.actorId === null ? null : ctx.loaders.userById.load(event.actorId);
}
