import type { Byline, Correction, Paragraph, Photo, StoryPhoto, Story } from "../generated/prisma/client.js";

/**
 * What the syndication formats (ninjs, JSON-LD) are made from: a story the viewer may read, with
 * what it prints, loaded together (src/syndication/syndication.service.ts).
 */
export type StoryFacts = Pick<
  Story,
  | "id"
  | "slug"
  | "headline"
  | "summary"
  | "dateline"
  | "credit"
  | "status"
  | "version"
  | "createdAt"
  | "updatedAt"
  | "publishedAt"
  | "firstPublishedAt"
  | "embargoedUntil"
>;

/** One stored size of a picture (the photo upload keeps several; a photo with only a url has none). */
export interface RenditionFacts {
  name: string;
  href: string;
  width: number | null;
  height: number | null;
  contentType: string | null;
  sizeInBytes: number | null;
}

export type PhotoFacts = Pick<Photo, "id" | "url" | "caption" | "credit" | "takenAt" | "location" | "altText" | "updatedAt"> & {
  /** The uploaded photo's stored renditions, with absolute addresses; none for a photo known by its url only. */
  renditions?: readonly RenditionFacts[];
};

export type PlacementFacts = Pick<StoryPhoto, "position" | "role" | "caption"> & { photo: PhotoFacts };
export type BylineFacts = Pick<Byline, "name" | "title" | "affiliation">;
export type CorrectionFacts = Pick<Correction, "kind" | "text" | "createdAt" | "version">;

export interface SyndicatedStory {
  story: StoryFacts;
  paragraphs: readonly Pick<Paragraph, "text">[];
  /** In story order. */
  placements: readonly PlacementFacts[];
  /** In printed order. */
  bylines: readonly BylineFacts[];
  /** Newest first, as Story.corrections lists them. */
  corrections: readonly CorrectionFacts[];
}

/**
 * A byline that prints the story's credit ("AP" on wire copy) names the agency, not a person:
 * JSON-LD makes it an Organization, ninjs leaves it out of people.
 */
export function isAgencyByline(byline: BylineFacts, story: Pick<StoryFacts, "credit">): boolean {
  return story.credit !== null && byline.name.trim().toLowerCase() === story.credit.trim().toLowerCase();
}

/** The caption a placement prints: the story's own for this photo, or the photo's. */
export function captionOf(placement: PlacementFacts): string | null {
  return placement.caption ?? placement.photo.caption;
}

/**
 * The photo's copyright notice. Photos carry only a credit line ("AP Photo/Hadi Mizban") so far,
 * which names the rights holder as printed; once they carry a notice of their own (read from the
 * uploaded file), it goes here.
 */
export function copyrightNoticeOf(photo: PhotoFacts): string | null {
  return photo.credit;
}

/** The URI that identifies a story for good: by its id, since its slug may change. It need not resolve. */
export function storyUri(baseUrl: string, story: Pick<StoryFacts, "id">): string {
  return `${baseUrl}/stories/${story.id}`;
}

export function photoUri(baseUrl: string, photo: Pick<PhotoFacts, "id">): string {
  return `${baseUrl}/photos/${photo.id}`;
}

/** "A", "A and B", "A, B and C": how a byline reads names. */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
