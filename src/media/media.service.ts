import type { MediaConfig } from "../config.js";
import type { OperationContext } from "../context/operation-context.js";
import { inTransaction } from "../db/transaction.js";
import { asAppError, refusedUpload } from "../errors.js";
import type { Photo, PhotoRendition } from "../generated/prisma/client.js";
import { requireStaff } from "../users/users.rules.js";
import { inspectImage, readEmbeddedMetadata, writeRenditions } from "./media.images.js";
import {
  embeddedMetadataOf,
  ORIGINAL_EXTENSIONS,
  overlongField,
  renditionPath,
  RENDITION_ORDER,
  renditionPlan,
  uploadedPhotoFields,
} from "./media.rules.js";
import { forgetUpload, keepUpload, newRenditionsFolder, removeAll } from "./media.storage.js";

/** An upload's bytes as received: in a temporary file under MEDIA_DIR, hashed while they streamed in. */
export interface ReceivedUpload {
  tempPath: string;
  sha256: string;
  sizeInBytes: number;
}

export type UploadedPhoto = Photo & { renditions: PhotoRendition[] };

function photoOfOriginal(ctx: OperationContext, sha256: string): Promise<UploadedPhoto | null> {
  return ctx.db.photo.findUnique({ where: { sha256 }, include: { renditions: { orderBy: RENDITION_ORDER } } });
}

/**
 * Makes a photo of an uploaded file: checks it is an image within the limits, reads its caption,
 * credit, date and place from its IPTC/XMP metadata, writes its renditions, and records it all in
 * one transaction. Only then are the original and renditions moved into place under its SHA-256.
 * The same bytes uploaded again give the photo they made the first time (created: false). Whatever
 * fails, the temporary files go, and no row is left behind.
 */
export async function uploadPhoto(
  ctx: OperationContext,
  settings: MediaConfig,
  upload: ReceivedUpload,
): Promise<{ photo: UploadedPhoto; created: boolean }> {
  requireStaff(ctx.viewer);
  let renditionsDir: string | undefined;
  try {
    const existing = await photoOfOriginal(ctx, upload.sha256);
    if (existing) return { photo: existing, created: false };
    const image = await inspectImage(upload.tempPath, settings.maxPixels);
    const fields = uploadedPhotoFields(embeddedMetadataOf(await readEmbeddedMetadata(upload.tempPath)));
    const overlong = overlongField(fields);
    if (overlong) {
      throw refusedUpload("METADATA_TOO_LONG", `The file's ${overlong.field} is longer than the ${overlong.max} characters a photo keeps`, {
        metadataField: overlong.field,
      });
    }
    renditionsDir = await newRenditionsFolder(settings.dir);
    const renditions = await writeRenditions(upload.tempPath, renditionPlan(image.width), renditionsDir, settings.maxPixels);
    let photo: UploadedPhoto;
    try {
      photo = await inTransaction(ctx, (tx) =>
        tx.photo.create({
          data: {
            ...fields,
            sha256: upload.sha256,
            contentType: image.contentType,
            sizeInBytes: upload.sizeInBytes,
            width: image.width,
            height: image.height,
            renditions: {
              create: renditions.map(({ name, width, height, contentType, sizeInBytes, fileName }) => ({
                name,
                width,
                height,
                contentType,
                sizeInBytes,
                path: renditionPath(upload.sha256, fileName),
              })),
            },
          },
          include: { renditions: { orderBy: RENDITION_ORDER } },
        }),
      );
    } catch (error) {
      // The same bytes, uploaded at the same moment, made their photo first.
      const sameOriginal = asAppError(error)?.details?.reason === "ALREADY_EXISTS" ? await photoOfOriginal(ctx, upload.sha256) : null;
      if (sameOriginal) return { photo: sameOriginal, created: false };
      throw error;
    }
    const extension = ORIGINAL_EXTENSIONS[image.contentType];
    try {
      await keepUpload(settings.dir, { tempPath: upload.tempPath, renditionsDir, sha256: upload.sha256, extension });
    } catch (error) {
      // A photo whose files are not there would answer with broken links: it goes too.
      await ctx.db.photo.delete({ where: { id: photo.id } });
      await forgetUpload(settings.dir, upload.sha256, extension);
      throw error;
    }
    return { photo, created: true };
  } finally {
    // After keepUpload these are gone already; otherwise they are what a refusal leaves.
    await removeAll([upload.tempPath, renditionsDir]);
  }
}
