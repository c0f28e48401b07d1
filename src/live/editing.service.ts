import { recordEvent } from "../audit/audit.service.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Database, Transaction } from "../db/client.js";
import { isUuid } from "../db/ids.js";
import { inTransaction } from "../db/transaction.js";
import { notFound } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import type { StoryStatus } from "../stories/story.rules.js";
import { requireStaff } from "../users/users.rules.js";

/**
 * Who is editing which story: advice for the desk, never a lock (expectedVersion still decides
 * every save). A lease is a row in editing_leases, shared by every instance; the editor's client
 * renews it by calling beginEditing again (the heartbeat) before it expires. Starting and ending
 * (by endEditing, or by lapsing, which the sweep finds) are recorded in the audit trail as
 * EDITING_STARTED and EDITING_ENDED, without a new version, and so reach live subscribers like
 * every other change; a renewal records nothing.
 */

export interface EditingLease {
  storyId: string;
  startedAt: Date;
  expiresAt: Date;
  user: User;
}

interface StoryFacts {
  id: string;
  version: number;
  status: StoryStatus;
}

async function storyFacts(tx: Transaction, storyId: string, field: string): Promise<StoryFacts> {
  const story = isUuid(storyId)
    ? await tx.story.findUnique({ where: { id: storyId }, select: { id: true, version: true, status: true } })
    : null;
  if (!story) throw notFound("Story", storyId, field);
  return story;
}

/** Starts a lease on the story for the viewer, or renews theirs; the lease runs leaseSeconds from now. */
export async function beginEditing(ctx: OperationContext, storyId: string, leaseSeconds: number): Promise<EditingLease> {
  const staff = requireStaff(ctx.viewer);
  return inTransaction(ctx, async (tx) => {
    const story = await storyFacts(tx, storyId, "storyId");
    // The lease as it was (locked, so that two heartbeats of one editor agree on whether it is new).
    const [previous] = await tx.$queryRaw<{ lapsed: boolean }[]>`
      SELECT expires_at <= now() AS lapsed FROM editing_leases
       WHERE story_id = ${story.id}::uuid AND user_id = ${staff.id}::uuid FOR UPDATE`;
    const renewing = previous !== undefined && !previous.lapsed;
    const [lease] = await tx.$queryRaw<{ started_at: Date; expires_at: Date }[]>`
      INSERT INTO editing_leases (story_id, user_id, started_at, expires_at)
      VALUES (${story.id}::uuid, ${staff.id}::uuid, now(), now() + ${leaseSeconds}::int * interval '1 second')
      ON CONFLICT (story_id, user_id) DO UPDATE
        SET expires_at = EXCLUDED.expires_at,
            started_at = CASE WHEN ${renewing}::boolean THEN editing_leases.started_at ELSE EXCLUDED.started_at END
      RETURNING started_at, expires_at`;
    if (!renewing) {
      // A lease that lapsed before the sweep found it ends here, so that every start has its end.
      if (previous) await recordEvent(tx, staff.id, story, "EDITING_ENDED", story.status);
      await recordEvent(tx, staff.id, story, "EDITING_STARTED", story.status);
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: staff.id } });
    return { storyId: story.id, startedAt: lease!.started_at, expiresAt: lease!.expires_at, user };
  });
}

/** Ends the viewer's lease on the story; false when they held none. */
export async function endEditing(ctx: OperationContext, storyId: string): Promise<boolean> {
  const staff = requireStaff(ctx.viewer);
  return inTransaction(ctx, async (tx) => {
    const story = await storyFacts(tx, storyId, "storyId");
    const { count } = await tx.editingLease.deleteMany({ where: { storyId: story.id, userId: staff.id } });
    if (count > 0) await recordEvent(tx, staff.id, story, "EDITING_ENDED", story.status);
    return count > 0;
  });
}

/** The staff editing the story now (unexpired leases), longest first; none for the public. */
export async function editorsOf(ctx: OperationContext, storyId: string): Promise<User[]> {
  if (!ctx.viewer) return [];
  return ctx.loaders.editorsByStory.load(storyId);
}

/**
 * Removes the leases that lapsed and records EDITING_ENDED for each, in one transaction; says how
 * many it ended and how many leases remain. Every instance sweeps; the DELETE's row locks let each
 * lapsed lease be reported by exactly one.
 */
export async function sweepLapsedLeases(db: Database): Promise<{ ended: number; remaining: number }> {
  return db.$transaction(async (tx) => {
    const lapsed = await tx.$queryRaw<{ story_id: string; user_id: string; version: number; status: StoryStatus }[]>`
      WITH gone AS (DELETE FROM editing_leases WHERE expires_at <= now() RETURNING story_id, user_id)
      SELECT gone.story_id::text AS story_id, gone.user_id::text AS user_id, s.version, s.status::text AS status
        FROM gone JOIN stories s ON s.id = gone.story_id
       ORDER BY s.id, gone.user_id`;
    for (const lease of lapsed) {
      await recordEvent(
        tx,
        lease.user_id,
        { id: lease.story_id, version: lease.version, status: lease.status },
        "EDITING_ENDED",
        lease.status,
      );
    }
    return { ended: lapsed.length, remaining: await tx.editingLease.count() };
  });
}
