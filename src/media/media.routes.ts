/**
 * The photo desk over plain HTTP, beside GraphQL: POST /media/photos takes a multipart upload
 * (one field, `file`) from staff with a Bearer token, and GET /media/renditions/... serves the
 * web sizes, which never change at their address.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import express, { type Request, type Router } from "express";
import type { OperationContext } from "../context/operation-context.js";
import type { MediaConfig } from "../config.js";
import { AppError, badRequest, refusedUpload } from "../errors.js";
import { requireRole } from "../users/users.rules.js";
import { presentRendition } from "./media.rules.js";
import { uploadPhoto, type ReceivedUpload, type UploadedPhoto } from "./media.service.js";
import { newUploadPath, removeAll } from "./media.storage.js";

const FILE_FIELD = "file";

export function mediaRoutes(options: {
  settings: MediaConfig;
  /** The request's viewer and database, built as for GraphQL. */
  contextOf: (req: Request) => Promise<OperationContext>;
  /** Counts the upload as in flight, so that shutdown waits for it before closing the database. */
  track: <T>(work: Promise<T>) => Promise<T>;
}): Router {
  const { settings, contextOf, track } = options;
  const router = express.Router();

  router.post("/photos", (req, res) =>
    track(
      (async () => {
        // A token, never a cookie: so no other site can make a browser upload on someone's behalf.
        const ctx = await contextOf(req);
        requireRole(ctx.viewer, "REPORTER", "POST /media/photos");
        const upload = await receiveUpload(req, settings);
        const { photo, created } = await uploadPhoto(ctx, settings, upload);
        res.status(created ? 201 : 200).json({ photo: photoJson(photo) });
      })(),
    ),
  );

  router.use(
    "/renditions",
    express.static(path.join(settings.dir, "renditions"), {
      // A rendition's address holds its original's SHA-256, so what it serves never changes.
      immutable: true,
      maxAge: "1y",
      index: false,
      redirect: false,
      dotfiles: "deny",
    }),
  );

  return router;
}

/** An uploaded photo as the JSON answer gives it: the fields of GraphQL's Photo. */
function photoJson(photo: UploadedPhoto) {
  return {
    id: photo.id,
    caption: photo.caption,
    credit: photo.credit,
    takenAt: photo.takenAt?.toISOString() ?? null,
    location: photo.location,
    isFilePhoto: photo.isFilePhoto,
    originalDate: photo.originalDate?.toISOString().slice(0, 10) ?? null,
    width: photo.width,
    height: photo.height,
    altText: photo.altText,
    creator: photo.creator,
    copyrightNotice: photo.copyrightNotice,
    renditions: photo.renditions.map(presentRendition),
  };
}

/**
 * Streams the `file` part into a temporary file under MEDIA_DIR, hashing it on the way, and
 * stops keeping bytes at MEDIA_MAX_BYTES (the rest of the body is read and dropped, so the client
 * gets its answer). Other parts are ignored. Whatever fails, the temporary file is removed.
 */
async function receiveUpload(req: Request, settings: MediaConfig): Promise<ReceivedUpload> {
  if (!req.is("multipart/form-data")) throw badRequest(`Send the photo as multipart/form-data, in a field named ${FILE_FIELD}`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: settings.maxBytes, fields: 20, parts: 25 } });
  } catch {
    throw badRequest("The multipart/form-data header has no boundary");
  }
  const tempPath = await newUploadPath(settings.dir);
  let stored: Promise<{ sha256: string; sizeInBytes: number; truncated: boolean }> | undefined;
  parser.on("file", (name, stream) => {
    if (name !== FILE_FIELD || stored) {
      stream.resume();
      return;
    }
    stored = storeHashed(stream, tempPath);
    // Awaited once the body is read; until then a failure must not count as unhandled.
    stored.catch(() => undefined);
  });
  try {
    await pipeline(req, parser);
    if (!stored) throw refusedUpload("FILE_MISSING", `The request has no file in a field named ${FILE_FIELD}`);
    const { truncated, ...file } = await stored;
    if (truncated) {
      throw refusedUpload("FILE_TOO_LARGE", `The file is over the ${settings.maxBytes} bytes an upload may have`, {
        maxBytes: settings.maxBytes,
      });
    }
    return { tempPath, ...file };
  } catch (error) {
    await stored?.catch(() => undefined);
    await removeAll([tempPath]);
    if (error instanceof AppError || (error as NodeJS.ErrnoException).syscall) throw error;
    throw badRequest("The upload broke off, or its multipart/form-data body is malformed");
  }
}

async function storeHashed(stream: Readable & { truncated?: boolean }, file: string) {
  const hash = createHash("sha256");
  let sizeInBytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeInBytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(stream, count, createWriteStream(file));
  return { sha256: hash.digest("hex"), sizeInBytes, truncated: stream.truncated === true };
}
