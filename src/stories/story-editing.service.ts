import slugify from "@sindresorhus/slugify";
import { recordEvent } from "../audit/audit.service.js";
import type { EditorialNote, PrintedStory } from "../audit/revision.rules.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Transaction } from "../db/client.js";
import { isStorableDate, LIMITS } from "../db/column-limits.js";
import { inTransaction } from "../db/transaction.js";
import { asAppError, badInput, conflict, notFound, type AppError } from "../errors.js";
import type { Prisma, Story } from "../generated/prisma/client.js";
import { requireStaff } from "../users/users.rules.js";
import { replaceParagraphs } from "./paragraph.service.js";
import { assertReadyToPublish, PUBLISH_FACTS_SELECT, publishFactsOf } from "./publish.rules.js";
import { editStory, lockStory, recordNewStory, type StatusChanges } from "./story-edit.js";
import {
  assertParagraphText,
  assertValidSlug,
  authorizeDelete,
  authorizeEdit,
  authorizeTransition,
  checkVersion,
  nextFreeSlug,
  WORKFLOW,
  type WorkflowAction,
} from "./story.rules.js";

export interface BylineData {
  name: string;
  title?: string | null;
  affiliation?: string | null;
  userId?: string | null;
}

export interface StoryFields {
  headline?: string | null;
  slug?: string | null;
  summary?: string | null;
  dateline?: string | null;
  credit?: string | null;
  /** The whole body, one string a paragraph. */
  paragraphs?: string[] | null;
  /** Who the story is by, in order; replaces the list. */
  bylines?: BylineData[] | null;
  /** Until when nothing of the story reaches the public; null clears it, undefined leaves it. */
  embargoedUntil?: Date | null;
}
export interface CreateStoryData extends StoryFields {
  headline: string;
}

export async function freeSlugFor(tx: Transaction, headline: string): Promise<string> {
  const base = slugify(headline).slice(0, 120).replace(/-+$/, "") || "story";
  const taken = await tx.story.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
  return nextFreeSlug(base, new Set(taken.map((s) => s.slug)));
}

async function assertSlugFree(tx: Transaction, slug: string, field: string, exceptId?: string): Promise<void> {
  const holder = await tx.story.findUnique({ where: { slug }, select: { id: true } });
  if (holder && holder.id !== exceptId) throw conflict(`The slug "${slug}" is already used by another story`, field);
}

function scalarFields(input: StoryFields) {
  const optional = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);
  if (input.embargoedUntil && !isStorableDate(input.embargoedUntil)) {
    throw badInput("input.embargoedUntil", "embargoedUntil is outside the dates that can be stored");
  }
  return {
    embargoedUntil: input.embargoedUntil,
    ...(input.headline != null ? { headline: input.headline.trim() } : {}),
    summary: optional(input.summary),
    dateline: optional(input.dateline),
    credit: optional(input.credit),
  };
}

/** Replaces a story's bylines; a staff byline must name a user that exists. */
export async function replaceBylines(tx: Transaction, storyId: string, bylines: BylineData[], field: string): Promise<void> {
  const userIds = [...new Set(bylines.flatMap((byline) => (byline.userId ? [byline.userId] : [])))];
  const found = userIds.length ? await tx.user.count({ where: { id: { in: userIds } } }) : 0;
  if (found !== userIds.length) throw badInput(field, "A byline names a user that does not exist");
  bylines.forEach((byline, i) => {
    if (byline.name.trim() === "") throw badInput(`${field}[${i}].name`, "A byline needs the name it prints");
  });
  await tx.byline.deleteMany({ where: { storyId } });
  await tx.byline.createMany({
    data: bylines.map((byline, position) => ({
      storyId,
      position,
      name: byline.name.trim(),
      title: byline.title?.trim() || null,
      affiliation: byline.affiliation?.trim() || null,
      userId: byline.userId ?? null,
    })),
  });
}

export async function createStory(ctx: OperationContext, input: CreateStoryData): Promise<Story> {
  const author = requireStaff(ctx.viewer);
  if (input.headline.trim() === "") throw badInput("input.headline", "A story needs a headline");
  const paragraphs = input.paragraphs ?? [];
  paragraphs.forEach((text, i) => assertParagraphText(text, `input.paragraphs[${i}]`));
  if (input.slug != null) assertValidSlug(input.slug, "input.slug");
  return inTransaction(ctx, async (tx) => {
    if (input.slug != null) await assertSlugFree(tx, input.slug, "input.slug");
    const slug = input.slug ?? (await freeSlugFor(tx, input.headline));
    const story = await tx.story.create({
      data: {
        ...scalarFields(input),
        headline: input.headline.trim(),
        slug,
        authorId: author.id,
        paragraphs: { create: paragraphs.map((text, position) => ({ text, position })) },
      },
    });
    // A story a reporter writes carries their byline unless it says otherwise.
    await replaceBylines(tx, story.id, input.bylines ?? [{ name: author.name, userId: author.id }], "input.bylines");
    await recordNewStory(tx, story, author.id, "CREATED");
    return story;
  });
}

export async function updateStory(
  ctx: OperationContext,
  id: string,
  expectedVersion: number,
  input: StoryFields & EditorialNote,
): Promise<Story> {
  if (input.headline != null && input.headline.trim() === "") throw badInput("input.headline", "A story needs a headline");
  if (input.slug != null) assertValidSlug(input.slug, "input.slug");
  return editStory(
    ctx,
    { storyId: id, expectedVersion, action: "UPDATED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      if (input.slug != null) await assertSlugFree(tx, input.slug, "input.slug", story.id);
      if (input.paragraphs != null) await replaceParagraphs(tx, story.id, input.paragraphs, "input.paragraphs");
      if (input.bylines != null) await replaceBylines(tx, story.id, input.bylines, "input.bylines");
      return { ...scalarFields(input), ...(input.slug != null ? { slug: input.slug } : {}) };
    },
  );
}

export async function transitionStory(ctx: OperationContext, id: string, expectedVersion: number, action: WorkflowAction): Promise<Story> {
  return editStory(
    ctx,
    { storyId: id, expectedVersion, action: WORKFLOW[action].event },
    (story) => authorizeTransition(ctx.viewer, story, action),
    async (tx, story, next) => {
      if (next === "PUBLISHED") return publishChanges(tx, story.id);
      return { status: next, ...(story.status === "PUBLISHED" ? { publishedAt: null } : {}) };
    },
  );
}

/**
 * The one step that publishes a story, whoever takes it (an editor's publishStory, the
 * scheduler): inside the change's transaction, under the story's row lock, it refuses naming
 * every blocker (publish.rules.ts) while the story is not ready, and otherwise returns what
 * publication changes on the story. Sources and attributions it reads are checked as they stand
 * at this moment, since an approval or a confirmation locks the story too.
 */
export async function publishChanges(tx: Transaction, storyId: string): Promise<Prisma.StoryUpdateInput> {
  const [decision] = await publishDecisions(tx, [storyId], new Date());
  if (!decision) throw notFound("Story", storyId, "id");
  if ("refusal" in decision) throw decision.refusal;
  return decision.changes;
}

/** What the publish step makes of one story: its changes, or the refusal naming its blockers; and whether it went out before. */
export type PublishDecision = { storyId: string; firstPublishedAt: Date | null } & ({ changes: StatusChanges } | { refusal: AppError });

/**
 * publishChanges for a batch (the scheduler's): the facts of every story are read in one
 * statement, and each story is judged on its own, so a blocked one is refused while the rest go
 * out. Stories published together share `now`, so that their changes are the same and one
 * statement can write them.
 */
export async function publishDecisions(tx: Transaction, storyIds: string[], now: Date): Promise<PublishDecision[]> {
  const rows = await tx.story.findMany({ where: { id: { in: storyIds } }, select: PUBLISH_FACTS_SELECT });
  const factsById = new Map(rows.map((row) => [row.id, row]));
  return storyIds.flatMap((storyId): PublishDecision[] => {
    const facts = factsById.get(storyId);
    if (!facts) return [];
    try {
      assertReadyToPublish(publishFactsOf(facts));
    } catch (error) {
      const refusal = asAppError(error);
      if (!refusal) throw error;
      return [{ storyId, firstPublishedAt: facts.firstPublishedAt, refusal }];
    }
    // A story published before keeps its first publication's date (left out of the changes).
    const changes: StatusChanges = {
      status: "PUBLISHED",
      publishedAt: now,
      ...(facts.firstPublishedAt === null ? { firstPublishedAt: now } : {}),
    };
    return [{ storyId, firstPublishedAt: facts.firstPublishedAt, changes }];
  });
}

/**
 * Withdraws a story for good (KILLED): it leaves every public read at once, since none reads a
 * story that is not PUBLISHED, and the public reads in its place, by its slug, the notice the
 * editor states. Staff keep the story, its revisions and its history (the kill is one of each).
 */
export async function killStory(ctx: OperationContext, id: string, expectedVersion: number, reason: string): Promise<Story> {
  const notice = reason.trim();
  if (notice === "") throw badInput("reason", "A kill needs the reason its notice states", { reason: "REASON_REQUIRED" });
  if (notice.length > LIMITS.killNotice) throw badInput("reason", `The reason is at most ${LIMITS.killNotice} characters`);
  return editStory(
    ctx,
    { storyId: id, expectedVersion, action: WORKFLOW.kill.event },
    (story) => authorizeTransition(ctx.viewer, story, "kill"),
    async (_tx, _story, next) => ({ status: next, killedAt: new Date(), killNotice: notice }),
  );
}

export async function deleteStory(ctx: OperationContext, id: string, expectedVersion: number): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const story = await lockStory(tx, id, "id");
    authorizeDelete(ctx.viewer, story);
    checkVersion(story.version, expectedVersion);
    await tx.story.delete({ where: { id: story.id } });
    await recordEvent(tx, ctx.viewer?.id ?? null, { id: story.id, version: story.version, status: story.status }, "DELETED", story.status);
    return story.id;
  });
}

/**
 * Makes a new version whose printed content is that of an earlier revision: the story's fields,
 * bylines, paragraphs (by their ids), photo placements and confirmed attributions. History is
 * never rewritten; the restore is a revision of its own (REVISION_RESTORED). A photo or source
 * that no longer exists cannot come back: its placement or attribution stays out, and the
 * attribution keeps the source it was merged into. Unconfirmed attributions (proposals, never
 * printed) stay while their paragraph does.
 */
export async function restoreStoryRevision(
  ctx: OperationContext,
  input: { id: string; expectedVersion: number; version: number } & EditorialNote,
): Promise<Story> {
  return editStory(
    ctx,
    { storyId: input.id, expectedVersion: input.expectedVersion, action: "REVISION_RESTORED", note: input, noteField: "" },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const revision = await tx.storyRevision.findUnique({ where: { storyId_version: { storyId: story.id, version: input.version } } });
      if (!revision) throw badInput("version", `The story has no revision ${input.version}`);
      const content = revision.content as unknown as PrintedStory;
      await restoreBody(tx, story.id, content);
      await replaceBylines(tx, story.id, content.bylines, "version");
      return { headline: content.headline, summary: content.summary, dateline: content.dateline, credit: content.credit };
    },
  );
}

async function restoreBody(tx: Transaction, storyId: string, content: PrintedStory): Promise<void> {
  const keptParagraphs = new Set(content.paragraphs.map((paragraph) => paragraph.id));
  const keptAttributions = new Set(content.attributions.map((attribution) => attribution.id));
  // Attributions first: a paragraph that goes may only go once nothing is anchored to it.
  await tx.attribution.deleteMany({
    where: { storyId, OR: [{ confirmed: true, id: { notIn: [...keptAttributions] } }, { paragraphId: { notIn: [...keptParagraphs] } }] },
  });
  await tx.storyPhoto.deleteMany({ where: { storyId, id: { notIn: content.photos.map((photo) => photo.placementId) } } });
  await tx.storyPhoto.updateMany({ where: { storyId, paragraphId: { notIn: [...keptParagraphs] } }, data: { paragraphId: null } });

  // Paragraphs: out of the positions' way, then each as it was, by id.
  await tx.paragraph.deleteMany({ where: { storyId, id: { notIn: [...keptParagraphs] } } });
  await tx.$executeRaw`UPDATE paragraphs SET position = position + 1000000 WHERE story_id = ${storyId}::uuid`;
  const existing = new Set((await tx.paragraph.findMany({ where: { storyId }, select: { id: true } })).map((row) => row.id));
  for (const [position, paragraph] of content.paragraphs.entries()) {
    if (existing.has(paragraph.id)) await tx.paragraph.update({ where: { id: paragraph.id }, data: { text: paragraph.text, position } });
    else await tx.paragraph.create({ data: { id: paragraph.id, storyId, text: paragraph.text, position } });
  }

  const photoIds = content.photos.map((photo) => photo.photoId);
  const photosThere = new Set((await tx.photo.findMany({ where: { id: { in: photoIds } }, select: { id: true } })).map((row) => row.id));
  const placed = new Set((await tx.storyPhoto.findMany({ where: { storyId }, select: { id: true } })).map((row) => row.id));
  const restoredPhotos = content.photos.filter((photo) => photosThere.has(photo.photoId));
  await tx.$executeRaw`UPDATE story_photos SET position = position + 1000000 WHERE story_id = ${storyId}::uuid`;
  for (const [position, photo] of restoredPhotos.entries()) {
    const data = { role: photo.role, caption: photo.storyCaption, paragraphId: photo.paragraphId, position };
    if (placed.has(photo.placementId)) await tx.storyPhoto.update({ where: { id: photo.placementId }, data });
    else await tx.storyPhoto.create({ data: { ...data, id: photo.placementId, storyId, photoId: photo.photoId } });
  }

  const sourceIds = content.attributions.map((attribution) => attribution.sourceId);
  const sourcesThere = new Set((await tx.source.findMany({ where: { id: { in: sourceIds } }, select: { id: true } })).map((row) => row.id));
  const attributed = new Map(
    (await tx.attribution.findMany({ where: { storyId }, select: { id: true, sourceId: true } })).map((row) => [row.id, row.sourceId]),
  );
  for (const attribution of content.attributions) {
    const sourceId = sourcesThere.has(attribution.sourceId) ? attribution.sourceId : attributed.get(attribution.id);
    if (!sourceId) continue;
    const data = {
      sourceId,
      paragraphId: attribution.paragraphId,
      kind: attribution.kind,
      quote: attribution.quote,
      method: attribution.method as Prisma.AttributionCreateInput["method"],
      confirmed: true,
    };
    if (attributed.has(attribution.id)) await tx.attribution.update({ where: { id: attribution.id }, data });
    else await tx.attribution.create({ data: { ...data, id: attribution.id, storyId } });
  }
}
