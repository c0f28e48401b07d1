import type { CorrectionComment, ImageObject, NewsArticle, Organization, Person, WithContext } from "schema-dts";
import type { PublicationConfig } from "../config.js";
import {
  captionOf,
  copyrightNoticeOf,
  isAgencyByline,
  storyUri,
  type BylineFacts,
  type CorrectionFacts,
  type PlacementFacts,
  type StoryFacts,
  type SyndicatedStory,
} from "./syndication.rules.js";

/** What a NewsArticle is made from: a story and what it prints but its body, which search engines read on the page. */
export type ArticleFacts = Omit<SyndicatedStory, "paragraphs">;

export function publisherOf(publication: PublicationConfig): Organization {
  return {
    "@type": "Organization",
    name: publication.publisherName,
    url: publication.baseUrl,
    logo: publication.publisherLogoUrl === null ? undefined : { "@type": "ImageObject", url: publication.publisherLogoUrl },
  };
}

/** A byline as an author: the agency a byline prints as the story's credit is an Organization, anyone else a Person. */
export function authorOf(byline: BylineFacts, story: Pick<StoryFacts, "credit">): Person | Organization {
  if (isAgencyByline(byline, story)) return { "@type": "Organization", name: byline.name };
  return {
    "@type": "Person",
    name: byline.name,
    jobTitle: byline.title ?? undefined,
    affiliation: byline.affiliation === null ? undefined : { "@type": "Organization", name: byline.affiliation },
  };
}

export function imageOf(placement: PlacementFacts): ImageObject {
  const { photo } = placement;
  const caption = captionOf(placement);
  const notice = copyrightNoticeOf(photo);
  return {
    "@type": "ImageObject",
    url: photo.url ?? undefined,
    contentUrl: photo.url ?? undefined,
    caption: caption ?? undefined,
    creditText: photo.credit ?? undefined,
    copyrightNotice: notice ?? undefined,
    description: photo.altText ?? undefined,
    contentLocation: photo.location === null ? undefined : { "@type": "Place", name: photo.location },
    dateCreated: photo.takenAt?.toISOString(),
  };
}

export function correctionCommentOf(correction: CorrectionFacts): CorrectionComment {
  return { "@type": "CorrectionComment", text: correction.text, datePublished: correction.createdAt.toISOString() };
}

/*
 * Absent values are left undefined rather than spread in conditionally, so that the compiler checks
 * every property name against schema-dts (a spread is not checked); JSON leaves them out.
 */

/**
 * A story as a schema.org NewsArticle, for search engines: published when it first reached the
 * public (a story never published has no datePublished), modified at its last change, its
 * correction notes as CorrectionComments. The lead picture comes first among the images.
 */
export function toNewsArticle(facts: ArticleFacts, publication: PublicationConfig): WithContext<NewsArticle> {
  const { story, bylines, corrections } = facts;
  const placements = [...facts.placements].sort((a, b) => Number(b.role === "LEAD") - Number(a.role === "LEAD") || a.position - b.position);
  const published = story.firstPublishedAt ?? story.publishedAt;
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "@id": storyUri(publication.baseUrl, story),
    headline: story.headline,
    description: story.summary ?? undefined,
    dateline: story.dateline ?? undefined,
    datePublished: published?.toISOString(),
    dateModified: story.updatedAt.toISOString(),
    inLanguage: publication.language,
    author: bylines.length > 0 ? bylines.map((byline) => authorOf(byline, story)) : undefined,
    publisher: publisherOf(publication),
    image: placements.length > 0 ? placements.map(imageOf) : undefined,
    correction: corrections.length > 0 ? corrections.map(correctionCommentOf) : undefined,
  };
}
