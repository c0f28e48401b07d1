import escapeHtml from "escape-html";
import type { CorrectionKind } from "../generated/prisma/client.js";
import { printedParagraphs } from "../stories/story.rules.js";
import {
  captionOf,
  copyrightNoticeOf,
  isAgencyByline,
  joinNames,
  photoUri,
  storyUri,
  type PhotoFacts,
  type PlacementFacts,
  type RenditionFacts,
  type StoryFacts,
  type SyndicatedStory,
} from "./syndication.rules.js";

/*
 * IPTC ninjs 3.1 (standards/ninjs-schema_3.1.json), the part of it this API fills. Property names
 * are the schema's own (camelCase since ninjs 2.0: versionCreated, pubStatus, infoSources); the
 * schema refuses any other.
 */

/** usable: partners may publish it; withheld: not yet (embargoed); canceled: not any more (killed). */
export type NinjsPubStatus = "usable" | "withheld" | "canceled";

export interface NinjsText {
  role?: string;
  contentType?: string;
  value: string;
}

export interface NinjsRendition {
  name: string;
  href?: string;
  contentType?: string;
  width?: number;
  height?: number;
  sizeInBytes?: number;
}

interface NinjsParty {
  name: string;
  rel?: string;
  role?: string;
}

interface NinjsObject {
  uri: string;
  type: "text" | "picture";
  version?: string;
  firstCreated?: string;
  versionCreated?: string;
  contentCreated?: string;
  pubStatus?: NinjsPubStatus;
  embargoedUntil?: string;
  language?: string;
  headlines?: NinjsText[];
  descriptions?: NinjsText[];
  bodies?: (NinjsText & { charCount?: number; wordCount?: number })[];
  located?: string;
  by?: string;
  people?: NinjsParty[];
  organisations?: NinjsParty[];
  infoSources?: NinjsParty[];
  copyrightNotice?: string;
  renditions?: NinjsRendition[];
}

export interface NinjsPicture extends NinjsObject {
  type: "picture";
  /** Required of an association: which one it is, among the story's. */
  name: string;
}

export interface NinjsItem extends NinjsObject {
  type: "text";
  associations?: NinjsPicture[];
}

export interface NinjsOptions {
  /** PUBLIC_BASE_URL: the base of the URIs that identify stories and photos. */
  baseUrl: string;
  language: string;
  /** The time the item is made at, which decides whether an embargo is still ahead. */
  now: Date;
}

/**
 * What the public receives in place of a killed story: that the item is canceled, and the kill
 * notice, with nothing of what it printed (as Query.killNotice gives it).
 */
export function ninjsKillNotice(
  killed: Pick<StoryFacts, "id" | "version" | "createdAt"> & { killedAt: Date; notice: string },
  options: NinjsOptions,
): NinjsItem {
  return {
    uri: storyUri(options.baseUrl, killed),
    type: "text",
    version: String(killed.version),
    firstCreated: killed.createdAt.toISOString(),
    versionCreated: killed.killedAt.toISOString(),
    pubStatus: "canceled",
    language: options.language,
    descriptions: [{ role: "killNotice", contentType: "text/plain", value: killed.notice }],
  };
}

/**
 * The one place that decides a story's ninjs pubStatus: "canceled" once it is killed (the item
 * then carries no body and no pictures, toNinjs below), "withheld" while its embargo is ahead (the
 * item carries embargoedUntil: a partner holds it until then), else "usable".
 */
export function ninjsPubStatus(story: Pick<StoryFacts, "status" | "embargoedUntil">, now: Date): NinjsPubStatus {
  if (story.status === "KILLED") return "canceled";
  if (story.embargoedUntil !== null && story.embargoedUntil > now) return "withheld";
  return "usable";
}

/** IPTC's information source role for the party the content came from (cv.iptc.org/newscodes/infosourcerole/originfo). */
const ORIGINATING_PARTY = "originfo";

const CORRECTION_ROLES: Record<CorrectionKind, string> = {
  CORRECTION: "correction",
  CLARIFICATION: "clarification",
  EDITORS_NOTE: "editorsNote",
  RETRACTION: "retraction",
};

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The body as HTML: one paragraph element each, its text escaped, so that "<", "&" and quotes in copy stay text. */
export function htmlBody(paragraphs: readonly string[]): string {
  return paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join("\n");
}

/** The photo's stored renditions; a photo without any, but with a url, has that one, as "original". */
export function renditionsOf(photo: PhotoFacts): NinjsRendition[] {
  if (photo.renditions?.length) return photo.renditions.map(ninjsRendition);
  return photo.url ? [{ name: "original", href: photo.url }] : [];
}

function ninjsRendition(rendition: RenditionFacts): NinjsRendition {
  return {
    name: rendition.name,
    href: rendition.href,
    ...(rendition.contentType !== null && { contentType: rendition.contentType }),
    ...(rendition.width !== null && { width: rendition.width }),
    ...(rendition.height !== null && { height: rendition.height }),
    ...(rendition.sizeInBytes !== null && { sizeInBytes: rendition.sizeInBytes }),
  };
}

/** A placed photo as a ninjs picture: its caption as printed in this story, its credit as the notice. */
export function ninjsPicture(placement: PlacementFacts, options: NinjsOptions): NinjsPicture {
  const { photo } = placement;
  const caption = captionOf(placement);
  const notice = copyrightNoticeOf(photo);
  const renditions = renditionsOf(photo);
  const descriptions: NinjsText[] = [
    ...(caption !== null ? [{ role: "caption", contentType: "text/plain", value: caption }] : []),
    ...(photo.altText !== null ? [{ role: "alternativeText", contentType: "text/plain", value: photo.altText }] : []),
  ];
  return {
    name: placement.role === "LEAD" ? "leadPicture" : `picture${placement.position + 1}`,
    uri: photoUri(options.baseUrl, photo),
    type: "picture",
    versionCreated: photo.updatedAt.toISOString(),
    ...(photo.takenAt && { contentCreated: photo.takenAt.toISOString() }),
    ...(descriptions.length > 0 && { descriptions }),
    ...(photo.location !== null && { located: photo.location }),
    ...(notice !== null && { copyrightNotice: notice }),
    ...(renditions.length > 0 && { renditions }),
  };
}

/**
 * A story as IPTC ninjs 3.1: its headline, its body as printed (plain text with the dateline
 * before the lede, and HTML), the dateline as where it was filed from, its bylines, the agency it
 * came from, its correction notes and its pictures. Pure: the story and everything it prints come
 * loaded.
 */
export function toNinjs(syndicated: SyndicatedStory, options: NinjsOptions): NinjsItem {
  const { story, bylines, corrections, placements } = syndicated;
  const pubStatus = ninjsPubStatus(story, options.now);
  const printed = printedParagraphs(story, syndicated.paragraphs);
  const plainText = printed.join("\n\n");
  const people = bylines.filter((byline) => !isAgencyByline(byline, story));
  const agencies = bylines.filter((byline) => isAgencyByline(byline, story));
  const descriptions: NinjsText[] = [
    ...(story.summary !== null ? [{ role: "summary", contentType: "text/plain", value: story.summary }] : []),
    ...corrections.map((correction) => ({ role: CORRECTION_ROLES[correction.kind], contentType: "text/plain", value: correction.text })),
  ];
  return {
    uri: storyUri(options.baseUrl, story),
    type: "text",
    version: String(story.version),
    firstCreated: story.createdAt.toISOString(),
    versionCreated: story.updatedAt.toISOString(),
    pubStatus,
    ...(pubStatus === "withheld" && { embargoedUntil: story.embargoedUntil!.toISOString() }),
    language: options.language,
    headlines: [{ role: "main", contentType: "text/plain", value: story.headline }],
    ...(descriptions.length > 0 && { descriptions }),
    ...(pubStatus !== "canceled" &&
      printed.length > 0 && {
        bodies: [
          { role: "main", contentType: "text/plain", charCount: [...plainText].length, wordCount: words(plainText), value: plainText },
          { role: "richtext", contentType: "text/html", value: htmlBody(printed) },
        ],
      }),
    ...(story.dateline !== null && { located: story.dateline }),
    ...(bylines.length > 0 && { by: joinNames(bylines.map((byline) => byline.name)) }),
    ...(people.length > 0 && { people: people.map((byline) => ({ name: byline.name, rel: "author" })) }),
    ...(agencies.length > 0 && { organisations: agencies.map((byline) => ({ name: byline.name, rel: "author" })) }),
    ...(story.credit !== null && { infoSources: [{ name: story.credit, role: ORIGINATING_PARTY }] }),
    ...(pubStatus !== "canceled" &&
      placements.length > 0 && { associations: placements.map((placement) => ninjsPicture(placement, options)) }),
  };
}
