import type { Transaction } from "../db/client.js";
import { badInput, conflict, forbidden, notFound } from "../errors.js";
import type { Paragraph, Photo, Story, StoryPhoto } from "../generated/prisma/client.js";
import { type OperationContext } from "../context/operation-context.js";
import { inTransaction } from "../db/transaction.js";
import { isUuid } from "../db/ids.js";
import { DEFAULT_NESTED_SIZE, pageSize } from "../db/pagination.js";
import type { EditorialNote } from "../audit/revision.rules.js";
import { changeSharedContent, editStory, writePositions } from "../stories/story-edit.js";
import type { PlacementRecord, StoryRecord } from "../stories/story.service.js";
import { authorizeEdit, reorder } from "../stories/story.rules.js";
import { readablePhotosWhere } from "./photo.rules.js";
import { presentRendition, type PresentedRendition } from "../media/media.rules.js";
import { hasRole, requireStaff } from "../users/users.rules.js";

export interface PhotoFields {
  url?: string | null;
  caption?: string | null;
  credit?: string | null;
  takenAt?: Date | null;
  location?: string | null;
  isFilePhoto?: boolean | null;
  altText?: string | null;
}

/** A placement as the API shows it, with its photo: the story's own caption wins over the photo's. */
export type Placement = PlacementRecord & { storyCaption: string | null; credit: string | null };

function present(placement: PlacementRecord): Placement {
  const { photo } = placement;
  return { ...placement, storyCaption: placement.caption, caption: placement.caption ?? photo.caption, credit: photo.credit };
}

function placementRowsOf(ctx: OperationContext, story: StoryRecord) {
  return story.placements ?? ctx.loaders.placementsByStory.load(story.id);
}

export async function placementsOfStory(ctx: OperationContext, story: StoryRecord): Promise<Placement[]> {
  return (await placementRowsOf(ctx, story)).map(present);
}

/** The placement with the LEAD role, first by position, or null. */
export async function leadPlacementOf(ctx: OperationContext, story: StoryRecord): Promise<Placement | null> {
  const lead = story.leadPlacement !== undefined ? story.leadPlacement : (await placementRowsOf(ctx, story)).find((p) => p.role === "LEAD");
  return lead ? present(lead) : null;
}

export async function paragraphOfPlacement(ctx: OperationContext, placement: Placement): Promise<Paragraph | null> {
  if (placement.paragraphId === null) return null;
  return placement.paragraph !== undefined ? placement.paragraph : ctx.loaders.paragraphById.load(placement.paragraphId);
}

export async function findPhoto(ctx: OperationContext, id: string): Promise<Photo | null> {
  if (!isUuid(id)) return null;
  return ctx.db.photo.findFirst({ where: { AND: [{ id }, readablePhotosWhere(ctx.viewer)] } });
}

export async function storiesOfPhoto(ctx: OperationContext, photoId: string, first?: number | null): Promise<Story[]> {
  return (await ctx.loaders.storiesByPhoto.load(photoId)).slice(0, pageSize(first, "first", DEFAULT_NESTED_SIZE));
}

/** Read for every photo of a page at once; a photo's renditions are readable wherever the photo is. */
export async function renditionsOfPhoto(ctx: OperationContext, photoId: string): Promise<PresentedRendition[]> {
  return (await ctx.loaders.renditionsByPhoto.load(photoId)).map(presentRendition);
}

function photoData(input: PhotoFields) {
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);
  return {
    url: text(input.url),
    caption: text(input.caption),
    credit: text(input.credit),
    location: text(input.location),
    altText: text(input.altText),
    takenAt: input.takenAt,
    isFilePhoto: input.isFilePhoto ?? undefined,
  };
}

function assertUrl(url: string | null | undefined, field: string): void {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput(field, "url must be an absolute http(s) URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw badInput(field, "url must be an absolute http(s) URL");
}

export async function createPhoto(ctx: OperationContext, input: PhotoFields): Promise<Photo> {
  assertUrl(input.url, "input.url");
  return inTransaction(ctx, (tx) => tx.photo.create({ data: photoData(input) }));
}

/**
 * Changes the photo itself, caption included, in every story that uses it without a caption of
 * its own. So it is a change to each of those stories: each is locked (a publish cannot slip in
 * between), it is allowed only to someone who may edit all of them (a reporter: photos of their
 * own drafts), and each gets a new version and revision. A caption or credit that changes in a
 * published story needs a correction note or a minor edit reason, as any change to its text does.
 */
export async function updatePhoto(ctx: OperationContext, id: string, input: PhotoFields & EditorialNote): Promise<Photo> {
  const staff = requireStaff(ctx.viewer);
  assertUrl(input.url, "input.url");
  return inTransaction(ctx, async (tx) => {
    if (!isUuid(id)) throw notFound("Photo", id, "id");
    await tx.$executeRaw`SELECT 1 FROM photos WHERE id = ${id}::uuid FOR UPDATE`;
    const photo = await tx.photo.findUnique({ where: { id } });
    if (!photo) throw notFound("Photo", id, "id");
    const placements = await tx.storyPhoto.findMany({ where: { photoId: id }, select: { storyId: true } });
    return changeSharedContent(
      tx,
      {
        actorId: staff.id,
        storyIds: placements.map((placement) => placement.storyId),
        action: "PHOTO_EDITED",
        note: input,
        authorize: (stories) => {
          if (!hasRole(staff, "EDITOR") && stories.some((s) => s.authorId !== staff.id || s.status !== "DRAFT")) {
            throw forbidden("This photo is used beyond your own drafts; ask an editor to change it");
          }
        },
      },
      () => tx.photo.update({ where: { id }, data: photoData(input) }),
    );
  });
}

export async function attachPhoto(
  ctx: OperationContext,
  input: {
    storyId: string;
    expectedVersion: number;
    photoId: string;
    role?: "LEAD" | "INLINE" | null;
    position?: number | null;
    caption?: string | null;
    paragraphId?: string | null;
  } & EditorialNote,
) {
  return editStory(
    ctx,
    { storyId: input.storyId, expectedVersion: input.expectedVersion, storyField: "input.storyId", action: "PHOTO_ATTACHED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const photo = isUuid(input.photoId) ? await tx.photo.findUnique({ where: { id: input.photoId } }) : null;
      if (!photo) throw notFound("Photo", input.photoId, "input.photoId");
      if (await tx.storyPhoto.findUnique({ where: { storyId_photoId: { storyId: story.id, photoId: photo.id } } })) {
        throw conflict("The photo is already in this story", "input.photoId");
      }
      if (input.paragraphId != null) await assertParagraphOfStory(tx, input.paragraphId, story.id);
      const placed = await tx.storyPhoto.findMany({ where: { storyId: story.id }, orderBy: { position: "asc" }, select: { id: true } });
      const created = await tx.storyPhoto.create({
        data: {
          storyId: story.id,
          photoId: photo.id,
          position: -1,
          role: input.role ?? (placed.length === 0 ? "LEAD" : "INLINE"),
          caption: input.caption?.trim() || null,
          paragraphId: input.paragraphId ?? null,
        },
      });
      const ids = placed.map((p) => p.id);
      await writePositions(tx, "story_photos", story.id, reorder([...ids, created.id], created.id, input.position ?? ids.length));
    },
  );
}

async function assertParagraphOfStory(tx: Transaction, paragraphId: string, storyId: string) {
  const paragraph = isUuid(paragraphId) ? await tx.paragraph.findUnique({ where: { id: paragraphId }, select: { storyId: true } }) : null;
  if (!paragraph || paragraph.storyId !== storyId) throw badInput("input.paragraphId", "The paragraph is not in this story");
}

async function placementOf(ctx: OperationContext, placementId: string, field: string): Promise<StoryPhoto> {
  const placement = isUuid(placementId) ? await ctx.db.storyPhoto.findUnique({ where: { id: placementId } }) : null;
  if (!placement) throw notFound("StoryPhoto", placementId, field);
  return placement;
}

export async function detachPhoto(ctx: OperationContext, input: { storyPhotoId: string; expectedVersion: number } & EditorialNote) {
  const placement = await placementOf(ctx, input.storyPhotoId, "input.storyPhotoId");
  return editStory(
    ctx,
    { storyId: placement.storyId, expectedVersion: input.expectedVersion, action: "PHOTO_DETACHED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      await tx.storyPhoto.delete({ where: { id: placement.id } });
      const rest = await tx.storyPhoto.findMany({ where: { storyId: story.id }, orderBy: { position: "asc" }, select: { id: true } });
      await writePositions(
        tx,
        "story_photos",
        story.id,
        rest.map((p) => p.id),
      );
    },
  );
}

export async function movePhoto(
  ctx: OperationContext,
  input: { storyPhotoId: string; expectedVersion: number; toPosition: number } & EditorialNote,
) {
  const placement = await placementOf(ctx, input.storyPhotoId, "input.storyPhotoId");
  return editStory(
    ctx,
    { storyId: placement.storyId, expectedVersion: input.expectedVersion, action: "PHOTO_MOVED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const ids = (await tx.storyPhoto.findMany({ where: { storyId: story.id }, orderBy: { position: "asc" }, select: { id: true } })).map(
        (p) => p.id,
      );
      if (!ids.includes(placement.id)) throw notFound("StoryPhoto", placement.id, "input.storyPhotoId");
      await writePositions(tx, "story_photos", story.id, reorder(ids, placement.id, input.toPosition));
    },
  );
}

/** Sets how this photo is captioned and placed in this story only; a null caption falls back to the photo's. */
export async function updateStoryPhoto(
  ctx: OperationContext,
  input: {
    storyPhotoId: string;
    expectedVersion: number;
    caption?: string | null;
    role?: "LEAD" | "INLINE" | null;
    paragraphId?: string | null;
  } & EditorialNote,
) {
  const placement = await placementOf(ctx, input.storyPhotoId, "input.storyPhotoId");
  return editStory(
    ctx,
    { storyId: placement.storyId, expectedVersion: input.expectedVersion, action: "PHOTO_UPDATED", note: input },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      if (input.paragraphId != null) await assertParagraphOfStory(tx, input.paragraphId, story.id);
      await tx.storyPhoto.update({
        where: { id: placement.id },
        data: {
          ...(input.caption !== undefined ? { caption: input.caption?.trim() || null } : {}),
          ...(input.role ? { role: input.role } : {}),
          ...(input.paragraphId !== undefined ? { paragraphId: input.paragraphId } : {}),
        },
      });
    },
  );
}
