/**
 * What an uploaded photo is made of: the captions, credits and dates its file embeds, read into a
 * photo the way the wire importer reads a caption, and the web sizes made of it. Pure functions;
 * the files themselves are media.images.ts's and media.storage.ts's.
 */
import { LIMITS } from "../db/column-limits.js";
import type { Prisma } from "../generated/prisma/client.js";
import { parseCaption } from "../wire/wire.parser.js";
import { captionDates } from "../wire/wire.rules.js";

/** The IPTC Photo Metadata an upload carries, from XMP first, then IPTC IIM, then EXIF. */
export interface EmbeddedMetadata {
  caption: string | null;
  creditLine: string | null;
  creator: string | null;
  dateTaken: Date | null;
  city: string | null;
  state: string | null;
  country: string | null;
  copyrightNotice: string | null;
  altText: string | null;
}

/** exifr's output with mergeOutput off: one object per block (XMP by namespace prefix). */
export type ExifrOutput = Record<string, Record<string, unknown> | undefined>;

/** An XMP value as exifr gives it: text, a language alternative ({ lang, value }), or a list of either. */
function textOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((part): part is string => part !== null);
    return parts.length ? parts.join(", ") : null;
  }
  if (value && typeof value === "object" && "value" in value) return textOf(value.value);
  return null;
}

const DATE_RE = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date as XMP ("2018-02-13T10:20:00+03:00", "2018-02-13") or IIM ("20180213") writes it.
 * Without an offset it is taken as UTC: the file does not say where the camera's clock was.
 * EXIF dates reach here as Dates already (exifr reads them).
 */
export function metadataDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const text = textOf(value);
  const match = text === null ? null : DATE_RE.exec(text);
  if (!match) return null;
  const [, year, month, day, hour = "00", minute = "00", second = "00", milliseconds = "0", offset] = match;
  const zone = !offset || offset === "Z" ? "Z" : offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${milliseconds.padEnd(3, "0")}${zone}`);
  // new Date rolls "02-30" over into March; a date that does not exist is no date.
  return Number.isNaN(date.getTime()) || (!offset && date.toISOString().slice(0, 10) !== `${year}-${month}-${day}`) ? null : date;
}

/** The first of the values that has text. */
const first = (...values: unknown[]) => values.map(textOf).find((value) => value !== null) ?? null;

/** Reads IPTC Core from XMP (dc, photoshop, Iptc4xmpCore), IPTC IIM and EXIF, in that order of trust. */
export function embeddedMetadataOf(output: ExifrOutput | undefined): EmbeddedMetadata {
  const dc = output?.dc ?? {};
  const photoshop = output?.photoshop ?? {};
  const core = output?.Iptc4xmpCore ?? {};
  const iim = output?.iptc ?? {};
  const ifd0 = output?.ifd0 ?? {};
  const exif = output?.exif ?? {};
  return {
    caption: first(dc.description, iim.Caption, ifd0.ImageDescription),
    creditLine: first(photoshop.Credit, iim.Credit),
    creator: first(dc.creator, iim.Byline, ifd0.Artist),
    dateTaken:
      [photoshop.DateCreated, iim.DateCreated && `${textOf(iim.DateCreated)}${iimTime(iim.TimeCreated)}`, exif.DateTimeOriginal]
        .map(metadataDate)
        .find((date) => date !== null) ?? null,
    city: first(photoshop.City, iim.City),
    state: first(photoshop.State, iim.State),
    country: first(photoshop.Country, iim.Country),
    copyrightNotice: first(dc.rights, iim.CopyrightNotice, ifd0.Copyright),
    altText: first(core.AltTextAccessibility),
  };
}

/** IIM's TimeCreated is HHMMSS±HHMM; as a suffix to its CCYYMMDD date. */
function iimTime(value: unknown): string {
  const match = /^(\d{2})(\d{2})(\d{2})([+-]\d{4})?$/.exec(textOf(value) ?? "");
  return match ? `T${match[1]}:${match[2]}:${match[3]}${match[4] ?? ""}` : "";
}

/** The photo an upload makes, before anyone edits it. */
export interface UploadedPhotoFields {
  caption: string | null;
  credit: string | null;
  takenAt: Date | null;
  location: string | null;
  isFilePhoto: boolean;
  /** The day a file photo was first taken, as its caption gives it (midnight UTC). */
  originalDate: Date | null;
  altText: string | null;
  creator: string | null;
  copyrightNotice: string | null;
}

/**
 * Reads the caption by the wire importer's FILE-photo rules: whether it is a file photo, the date
 * and place of its first sentence, and its closing credit. The caption's own credit and place are
 * what the agency printed, so they come before the file's credit line and city/state/country; the
 * file's date of creation, which has the time too, comes before the caption's day.
 */
export function uploadedPhotoFields(metadata: EmbeddedMetadata): UploadedPhotoFields {
  const parsed = metadata.caption === null ? null : parseCaption(metadata.caption);
  const place = [metadata.city, metadata.state, metadata.country].filter(Boolean).join(", ");
  const fromCaption = parsed ? captionDates(parsed) : { takenAt: null, originalDate: null };
  return {
    caption: metadata.caption,
    credit: parsed?.credit ?? metadata.creditLine,
    takenAt: metadata.dateTaken ?? fromCaption.takenAt,
    location: parsed?.location ?? (place || null),
    isFilePhoto: parsed?.isFilePhoto ?? false,
    originalDate: fromCaption.originalDate,
    altText: metadata.altText,
    creator: metadata.creator,
    copyrightNotice: metadata.copyrightNotice,
  };
}

/** How long each embedded text may be, as its column allows (prisma/schema.prisma). */
const FIELD_LIMITS = {
  caption: LIMITS.caption,
  credit: LIMITS.photoCredit,
  location: 300,
  altText: 1000,
  creator: 300,
  copyrightNotice: 1000,
} as const;

/** The first embedded text too long for its column: such a file is refused rather than its caption cut. */
export function overlongField(fields: UploadedPhotoFields): { field: keyof typeof FIELD_LIMITS; max: number } | null {
  for (const [field, max] of Object.entries(FIELD_LIMITS) as [keyof typeof FIELD_LIMITS, number][]) {
    if ((fields[field]?.length ?? 0) > max) return { field, max };
  }
  return null;
}

/** The types an upload may be, by their content, with the extension its original is kept under. */
export const ORIGINAL_EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/tiff": "tif" } as const;

export type AcceptedType = keyof typeof ORIGINAL_EXTENSIONS;

export const ACCEPTED_TYPES = Object.keys(ORIGINAL_EXTENSIONS) as AcceptedType[];

export const isAcceptedType = (mime: string | undefined): mime is AcceptedType => Object.hasOwn(ORIGINAL_EXTENSIONS, mime ?? "");

/** The web sizes, by the width they aim at. */
export const RENDITION_SIZES = [
  { size: "small", width: 320 },
  { size: "medium", width: 768 },
  { size: "large", width: 1600 },
] as const;

export const RENDITION_FORMATS = [
  { format: "webp", contentType: "image/webp", extension: "webp" },
  { format: "jpeg", contentType: "image/jpeg", extension: "jpg" },
] as const;

export interface PlannedRendition {
  /** e.g. "small-webp". */
  name: string;
  width: number;
  format: (typeof RENDITION_FORMATS)[number]["format"];
  contentType: string;
  /** The file's name in the photo's rendition folder: the name and the format's extension. */
  fileName: string;
}

/**
 * The renditions of an image `width` pixels wide (upright): each size at its width, never wider
 * than the original; a size that would come out as wide as a smaller one is left out, so a
 * small original makes fewer renditions, never an enlarged one.
 */
export function renditionPlan(width: number): PlannedRendition[] {
  const widths = new Set<number>();
  const sizes = RENDITION_SIZES.flatMap(({ size, width: aim }) => {
    const actual = Math.min(aim, width);
    if (widths.has(actual)) return [];
    widths.add(actual);
    return [{ size, width: actual }];
  });
  return sizes.flatMap(({ size, width: actual }) =>
    RENDITION_FORMATS.map(({ format, contentType, extension }) => ({
      name: `${size}-${format}`,
      width: actual,
      format,
      contentType,
      fileName: `${size}-${format}.${extension}`,
    })),
  );
}

/** How a photo's renditions are listed: narrowest first, and of one width by name (jpeg before webp). */
export const RENDITION_ORDER: Prisma.PhotoRenditionOrderByWithRelationInput[] = [{ width: "asc" }, { name: "asc" }];

/** Where an original's renditions are kept, relative to MEDIA_DIR. */
export const renditionsFolder = (sha256: string) => `renditions/${sha256}`;

/** Where a rendition is kept, relative to MEDIA_DIR; served at "/media/" + this path. */
export const renditionPath = (sha256: string, fileName: string) => `${renditionsFolder(sha256)}/${fileName}`;

/** A rendition as the API shows it, in GraphQL and JSON alike: its address on this API instead of its file. */
export interface PresentedRendition {
  name: string;
  /** Relative to the API's origin: /media/renditions/<sha256>/<name>.<ext>. */
  href: string;
  width: number;
  height: number;
  contentType: string;
  sizeInBytes: number;
}

export function presentRendition(row: Omit<PresentedRendition, "href"> & { path: string }): PresentedRendition {
  const { name, width, height, contentType, sizeInBytes } = row;
  return { name, href: `/media/${row.path}`, width, height, contentType, sizeInBytes };
}
