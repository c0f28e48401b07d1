/**
 * The media folder (MEDIA_DIR): originals/<sha256>.<ext> once each, renditions/<sha256>/<name>.<ext>,
 * and tmp/ for uploads in progress. Everything is written under tmp/ first and renamed into place
 * only once the database has committed the photo: tmp/ is on the same file system, so a rename
 * is all or nothing, and a failed upload leaves nothing outside tmp/, which it cleans up itself.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import { renditionsFolder } from "./media.rules.js";

const TMP = "tmp";

/** A new file name for an upload's bytes while they stream in. */
export async function newUploadPath(mediaDir: string): Promise<string> {
  await mkdir(path.join(mediaDir, TMP), { recursive: true });
  return path.join(mediaDir, TMP, `${randomUUID()}.upload`);
}

/** A new folder to write one upload's renditions into. */
export async function newRenditionsFolder(mediaDir: string): Promise<string> {
  await mkdir(path.join(mediaDir, TMP), { recursive: true });
  return mkdtemp(path.join(mediaDir, TMP, "renditions-"));
}

const originalPath = (sha256: string, extension: string) => `originals/${sha256}.${extension}`;

/** Moves an upload's original and renditions into place, under the addresses of its SHA-256. */
export async function keepUpload(
  mediaDir: string,
  upload: { tempPath: string; renditionsDir: string; sha256: string; extension: string },
): Promise<void> {
  await mkdir(path.join(mediaDir, "originals"), { recursive: true });
  await mkdir(path.join(mediaDir, "renditions"), { recursive: true });
  const target = path.join(mediaDir, renditionsFolder(upload.sha256));
  // Left by an upload of the same bytes whose photo did not last (see forgetUpload).
  await rm(target, { recursive: true, force: true });
  await rename(upload.renditionsDir, target);
  await rename(upload.tempPath, path.join(mediaDir, originalPath(upload.sha256, upload.extension)));
}

/** Removes whatever of an upload was kept, for a photo whose files could not all be moved into place. */
export async function forgetUpload(mediaDir: string, sha256: string, extension: string): Promise<void> {
  await removeAll([path.join(mediaDir, renditionsFolder(sha256)), path.join(mediaDir, originalPath(sha256, extension))]);
}

/** Removes files and folders that may or may not exist. */
export async function removeAll(paths: (string | undefined)[]): Promise<void> {
  await Promise.all(paths.map((target) => target && rm(target, { recursive: true, force: true })));
}
