/**
 * Reading and resizing image files, with file-type, sharp and exifr. An upload is judged by its
 * bytes: its type by its signature, its size by its header before a pixel is decoded.
 */
import path from "node:path";
import exifr from "exifr";
import { fileTypeFromFile } from "file-type";
import sharp, { type Metadata, type OutputInfo, type Sharp } from "sharp";
import { refusedUpload } from "../errors.js";
import { ACCEPTED_TYPES, isAcceptedType, type AcceptedType, type ExifrOutput, type PlannedRendition } from "./media.rules.js";

export interface ImageFacts {
  contentType: AcceptedType;
  /** Upright: as shown once the EXIF orientation is applied. */
  width: number;
  height: number;
}

/**
 * The image's type and upright size. Refuses a file that is no accepted image by its content
 * (whatever its name), one whose header is broken, and one of more than maxPixels, which is read
 * from the header alone, so that a decompression bomb is never decoded.
 */
export async function inspectImage(file: string, maxPixels: number): Promise<ImageFacts> {
  const type = await fileTypeFromFile(file);
  if (!isAcceptedType(type?.mime)) {
    throw refusedUpload(
      "UNSUPPORTED_MEDIA_TYPE",
      `The file is ${type ? `${type.mime}, not a photo` : "not an image"}; upload ${ACCEPTED_TYPES.join(", ")}`,
    );
  }
  let header: Metadata;
  try {
    // Only the header is read here; the pixel limit is checked below, and again by every decode.
    header = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw refusedUpload("CORRUPT_IMAGE", `The file starts as ${type.mime} but its header cannot be read`);
  }
  const { width, height } = header.autoOrient;
  if (!width || !height) throw refusedUpload("CORRUPT_IMAGE", `The ${type.mime} file gives no size`);
  if (width * height > maxPixels) {
    throw refusedUpload("IMAGE_TOO_LARGE", `The image is ${width} x ${height} pixels; at most ${maxPixels} pixels are accepted`, {
      width,
      height,
      maxPixels,
    });
  }
  return { contentType: type.mime, width, height };
}

/**
 * The file's XMP, IPTC IIM and EXIF blocks as exifr reads them. A metadata block exifr cannot
 * read is no reason to refuse a photo the decoder accepts: the photo is then made without it.
 */
export async function readEmbeddedMetadata(file: string): Promise<ExifrOutput | undefined> {
  try {
    return (await exifr.parse(file, {
      xmp: true,
      iptc: true,
      tiff: true,
      exif: true,
      gps: false,
      icc: false,
      mergeOutput: false,
    })) as ExifrOutput | undefined;
  } catch {
    return undefined;
  }
}

export interface WrittenRendition {
  name: string;
  fileName: string;
  width: number;
  height: number;
  contentType: string;
  sizeInBytes: number;
}

const ENCODERS: Record<PlannedRendition["format"], (image: Sharp) => Sharp> = {
  webp: (image) => image.webp({ quality: 80 }),
  jpeg: (image) => image.jpeg({ quality: 82, mozjpeg: true }),
};

/**
 * Writes each planned rendition into dir, upright, in sRGB and without the original's metadata,
 * one at a time (two cores serve every request). Any pixel data the decoder cannot read fails
 * the whole upload as CORRUPT_IMAGE; the caller removes what was written.
 */
export async function writeRenditions(file: string, plan: PlannedRendition[], dir: string, maxPixels: number): Promise<WrittenRendition[]> {
  const original = sharp(file, { limitInputPixels: maxPixels, failOn: "warning" }).autoOrient();
  const written: WrittenRendition[] = [];
  for (const rendition of plan) {
    let info: OutputInfo;
    try {
      info = await ENCODERS[rendition.format](original.clone().resize({ width: rendition.width, withoutEnlargement: true })).toFile(
        path.join(dir, rendition.fileName),
      );
    } catch (error) {
      // Errors of the file system (ENOSPC, EACCES) carry a code and are the server's; the decoder's have none.
      if ((error as NodeJS.ErrnoException).code) throw error;
      throw refusedUpload("CORRUPT_IMAGE", "The image data is damaged or incomplete");
    }
    written.push({ ...rendition, width: info.width, height: info.height, sizeInBytes: info.size });
  }
  return written;
}
