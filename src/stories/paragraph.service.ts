import { assertAttributionFits } from "../attributions/attribution.rules.js";
import type { EditorialNote } from "../audit/revision.rules.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Transaction } from "../db/client.js";
import { isUuid } from "../db/ids.js";
import { badInput, conflict, notFound } from "../errors.js";
import type { Story } from "../generated/prisma/client.js";
import { editStory, writePositions } from "./story-edit.js";
import { assertParagraphText, authorizeEdit, reorder } from "./story.rules.js";

/** Every paragraph operation may carry a correction note or minor edit reason, needed once the story is published. */
type WithNote<Input> = Input & EditorialNote;

/**
 * Replaces the body while keeping each paragraph's identity by position, so quotes and photos
 * anchored to an edited paragraph stay anchored. A removed paragraph that still anchors
 * attributions is refused rather than silently dropping them.
 */
export async function replaceParagraphs(tx: Transaction, storyId: string, texts: string[], field: string): Promise<void> {
  texts.forEach((text, i) => assertParagraphText(text, `${field}[${i}]`));
  const existing = await tx.paragraph.findMany({
    where: { storyId },
    orderBy: { position: "asc" },
    include: { attributions: { select: { id: true, kind: true, quote: true } } },
  });
  existing.forEach((paragraph, i) => {
    if (i < texts.length) {
      for (const attribution of paragraph.attributions) assertAttributionFits(attribution, texts[i]!, `${field}[${i}]`);
    } else if (paragraph.attributions.length > 0) {
      throw conflict(
        `Paragraph ${i + 1} anchors ${paragraph.attributions.length} attribution(s); remove or move them before removing the paragraph`,
        field,
        { reason: "PARAGRAPH_HAS_ATTRIBUTIONS", paragraphId: paragraph.id },
      );
    }
  });
  const removed = existing.slice(texts.length).map((p) => p.id);
  if (removed.length > 0) await tx.paragraph.deleteMany({ where: { id: { in: removed } } });
  for (const [i, paragraph] of existing.slice(0, texts.length).entries()) {
    if (paragraph.text !== texts[i]) await tx.paragraph.update({ where: { id: paragraph.id }, data: { text: texts[i]! } });
  }
  const added = texts.slice(existing.length).map((text, i) => ({ storyId, text, position: existing.length + i }));
  if (added.length > 0) await tx.paragraph.createMany({ data: added });
}

async function paragraphInStory(tx: Transaction, paragraphId: string, field: string) {
  const paragraph = isUuid(paragraphId)
    ? await tx.paragraph.findUnique({
        where: { id: paragraphId },
        include: { attributions: { select: { id: true, kind: true, quote: true } } },
      })
    : null;
  if (!paragraph) throw notFound("Paragraph", paragraphId, field);
  return paragraph;
}

async function storyIdOfParagraph(ctx: OperationContext, paragraphId: string, field: string): Promise<string> {
  const row = isUuid(paragraphId) ? await ctx.db.paragraph.findUnique({ where: { id: paragraphId }, select: { storyId: true } }) : null;
  if (!row) throw notFound("Paragraph", paragraphId, field);
  return row.storyId;
}

async function orderedParagraphIds(tx: Transaction, storyId: string): Promise<string[]> {
  const rows = await tx.paragraph.findMany({ where: { storyId }, orderBy: { position: "asc" }, select: { id: true } });
  return rows.map((row) => row.id);
}

export async function addParagraph(
  ctx: OperationContext,
  input: WithNote<{ storyId: string; expectedVersion: number; text: string; position?: number | null }>,
): Promise<Story> {
  assertParagraphText(input.text, "input.text");
  if (input.position != null && input.position < 0) throw badInput("input.position", "position counts from 0");
  return editStory(
    ctx,
    { storyId: input.storyId, expectedVersion: input.expectedVersion, storyField: "input.storyId", action: "PARAGRAPH_ADDED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const ids = await orderedParagraphIds(tx, story.id);
      const created = await tx.paragraph.create({ data: { storyId: story.id, text: input.text, position: -1 } });
      await writePositions(tx, "paragraphs", story.id, reorder([...ids, created.id], created.id, input.position ?? ids.length));
    },
  );
}

export async function updateParagraph(
  ctx: OperationContext,
  input: WithNote<{ paragraphId: string; expectedVersion: number; text: string }>,
): Promise<Story> {
  assertParagraphText(input.text, "input.text");
  const storyId = await storyIdOfParagraph(ctx, input.paragraphId, "input.paragraphId");
  return editStory(
    ctx,
    { storyId, expectedVersion: input.expectedVersion, action: "PARAGRAPH_EDITED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx) => {
      const paragraph = await paragraphInStory(tx, input.paragraphId, "input.paragraphId");
      for (const attribution of paragraph.attributions) assertAttributionFits(attribution, input.text, "input.text");
      await tx.paragraph.update({ where: { id: paragraph.id }, data: { text: input.text } });
    },
  );
}

export async function moveParagraph(
  ctx: OperationContext,
  input: WithNote<{ paragraphId: string; expectedVersion: number; toPosition: number }>,
): Promise<Story> {
  if (input.toPosition < 0) throw badInput("input.toPosition", "toPosition counts from 0");
  const storyId = await storyIdOfParagraph(ctx, input.paragraphId, "input.paragraphId");
  return editStory(
    ctx,
    { storyId, expectedVersion: input.expectedVersion, action: "PARAGRAPH_MOVED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const ids = await orderedParagraphIds(tx, story.id);
      if (!ids.includes(input.paragraphId)) throw notFound("Paragraph", input.paragraphId, "input.paragraphId");
      await writePositions(tx, "paragraphs", story.id, reorder(ids, input.paragraphId, input.toPosition));
    },
  );
}

export async function removeParagraph(
  ctx: OperationContext,
  input: WithNote<{ paragraphId: string; expectedVersion: number }>,
): Promise<Story> {
  const storyId = await storyIdOfParagraph(ctx, input.paragraphId, "input.paragraphId");
  return editStory(
    ctx,
    { storyId, expectedVersion: input.expectedVersion, action: "PARAGRAPH_REMOVED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const paragraph = await paragraphInStory(tx, input.paragraphId, "input.paragraphId");
      if (paragraph.attributions.length > 0) {
        throw conflict(
          `The paragraph anchors ${paragraph.attributions.length} attribution(s); remove or move them first`,
          "input.paragraphId",
          { reason: "PARAGRAPH_HAS_ATTRIBUTIONS" },
        );
      }
      await tx.paragraph.delete({ where: { id: paragraph.id } });
      await writePositions(tx, "paragraphs", story.id, await orderedParagraphIds(tx, story.id));
    },
  );
}
