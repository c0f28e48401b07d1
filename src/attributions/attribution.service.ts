import type { Transaction } from "../db/client.js";
import { notFound } from "../errors.js";
import type { Attribution, AttributionKind, AttributionMethod } from "../generated/prisma/client.js";
import { type OperationContext } from "../context/operation-context.js";
import { inTransaction } from "../db/transaction.js";
import { isUuid } from "../db/ids.js";
import { presentSource } from "../sources/source.service.js";
import { authorizeEdit } from "../stories/story.rules.js";
import type { StoryEventAction } from "../audit/audit.rules.js";
import { latestPrintedStory } from "../audit/revision.service.js";
import { commitStoryChange, lockStory } from "../stories/story-edit.js";
import type { AttributionRecord } from "../stories/story.service.js";
import { requireStaff } from "../users/users.rules.js";
import { assertAttributionFits } from "./attribution.rules.js";

export interface AddAttributionData {
  storyId: string;
  sourceId: string;
  paragraphId: string;
  kind: AttributionKind;
  quote?: string | null;
  method?: AttributionMethod | null;
}

export interface UpdateAttributionData {
  sourceId?: string | null;
  paragraphId?: string | null;
  kind?: AttributionKind | null;
  quote?: string | null;
  method?: AttributionMethod | null;
}

async function paragraphText(tx: Transaction, paragraphId: string, storyId: string, field: string): Promise<string> {
  const paragraph = isUuid(paragraphId) ? await tx.paragraph.findUnique({ where: { id: paragraphId } }) : null;
  if (!paragraph || paragraph.storyId !== storyId) throw notFound("Paragraph", `${paragraphId} in story ${storyId}`, field);
  return paragraph.text;
}

async function assertSourceExists(tx: Transaction, sourceId: string, field: string): Promise<void> {
  const found = isUuid(sourceId) && (await tx.source.count({ where: { id: sourceId } })) > 0;
  if (!found) throw notFound("Source", sourceId, field);
}

/**
 * An attribution is part of what a story shows (who said what), so each change to one is a change
 * to its story: under the story's row lock (a paragraph edit and a quote anchored to it cannot
 * pass their checks side by side), with a new version, an event and a revision. Attributions
 * change no printed words, so they need no correction note, and their inputs name no
 * expectedVersion: the story's version after the change is in the story's history.
 */
async function withEditableStory<T>(
  ctx: OperationContext,
  target: { storyId: string; field: string; action: StoryEventAction },
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, async (tx) => {
    const story = await lockStory(tx, target.storyId, target.field);
    authorizeEdit(ctx.viewer, story);
    const before = await latestPrintedStory(tx, story.id);
    const result = await work(tx);
    await commitStoryChange(tx, { actorId: ctx.viewer?.id ?? null, story, before, changes: {}, action: target.action });
    return result;
  });
}

/**
 * Runs work on an attribution as it stands once its story is locked: read before the lock, two
 * concurrent edits would each write back the other's stale fields.
 */
async function withLockedAttribution<T>(
  ctx: OperationContext,
  id: string,
  action: StoryEventAction,
  work: (tx: Transaction, attribution: Attribution) => Promise<T>,
): Promise<T> {
  const { storyId } = await attributionOf(ctx, id, "id");
  return withEditableStory(ctx, { storyId, field: "id", action }, async (tx) => {
    const attribution = await tx.attribution.findUnique({ where: { id } });
    if (!attribution) throw notFound("Attribution", id, "id");
    return work(tx, attribution);
  });
}

export async function addAttribution(ctx: OperationContext, input: AddAttributionData): Promise<Attribution> {
  const staff = requireStaff(ctx.viewer);
  return withEditableStory(ctx, { storyId: input.storyId, field: "input.storyId", action: "ATTRIBUTION_ADDED" }, async (tx) => {
    await assertSourceExists(tx, input.sourceId, "input.sourceId");
    const text = await paragraphText(tx, input.paragraphId, input.storyId, "input.paragraphId");
    assertAttributionFits(input, text, "input.quote");
    return tx.attribution.create({
      data: {
        storyId: input.storyId,
        sourceId: input.sourceId,
        paragraphId: input.paragraphId,
        kind: input.kind,
        quote: input.quote ?? null,
        method: input.method ?? null,
        confirmed: true,
        confirmedById: staff.id,
        confirmedAt: new Date(),
      },
    });
  });
}

async function attributionOf(ctx: OperationContext, id: string, field: string): Promise<Attribution> {
  const attribution = isUuid(id) ? await ctx.db.attribution.findUnique({ where: { id } }) : null;
  if (!attribution) throw notFound("Attribution", id, field);
  return attribution;
}

export async function updateAttribution(ctx: OperationContext, id: string, input: UpdateAttributionData): Promise<Attribution> {
  return withLockedAttribution(ctx, id, "ATTRIBUTION_UPDATED", async (tx, current) => {
    if (input.sourceId != null) await assertSourceExists(tx, input.sourceId, "input.sourceId");
    const paragraphId = input.paragraphId ?? current.paragraphId;
    const kind = input.kind ?? current.kind;
    const quote = input.quote === undefined ? current.quote : input.quote;
    assertAttributionFits({ kind, quote }, await paragraphText(tx, paragraphId, current.storyId, "input.paragraphId"), "input.quote");
    return tx.attribution.update({
      where: { id },
      data: {
        ...(input.kind != null ? { kind: input.kind } : {}),
        ...(input.quote !== undefined ? { quote: input.quote } : {}),
        ...(input.paragraphId != null ? { paragraphId: input.paragraphId } : {}),
        ...(input.sourceId != null ? { sourceId: input.sourceId } : {}),
        ...(input.method !== undefined ? { method: input.method } : {}),
      },
    });
  });
}

export async function removeAttribution(ctx: OperationContext, id: string): Promise<string> {
  return withLockedAttribution(ctx, id, "ATTRIBUTION_REMOVED", async (tx) => {
    await tx.attribution.delete({ where: { id } });
    return id;
  });
}

/** An editor vouches for an attribution the importer proposed. */
export async function confirmAttribution(ctx: OperationContext, id: string): Promise<Attribution> {
  const editor = requireStaff(ctx.viewer);
  return withLockedAttribution(ctx, id, "ATTRIBUTION_CONFIRMED", (tx) =>
    tx.attribution.update({ where: { id }, data: { confirmed: true, confirmedById: editor.id, confirmedAt: new Date() } }),
  );
}

export async function sourceOfAttribution(ctx: OperationContext, attribution: AttributionRecord) {
  const source = attribution.source ?? (await ctx.loaders.sourceById.load(attribution.sourceId));
  return source && presentSource(ctx.viewer, source);
}

export async function paragraphOfAttribution(ctx: OperationContext, attribution: AttributionRecord) {
  return attribution.paragraph ?? ctx.loaders.paragraphById.load(attribution.paragraphId);
}

/** The story, or null for a viewer who may not read it. */
export async function storyOfAttribution(ctx: OperationContext, attribution: AttributionRecord) {
  return attribution.story ?? ctx.loaders.storyById.load(attribution.storyId);
}
