import type { NewsArticle, WithContext } from "schema-dts";
import type { PublicationConfig } from "../config.js";
import type { OperationContext } from "../context/operation-context.js";
import { presentRendition } from "../media/media.rules.js";
import { badInput, notFound } from "../errors.js";
import type { StoryRecord } from "../stories/story.service.js";
import { SLUG_MAX_LENGTH, readableStoriesWhere } from "../stories/story.rules.js";
import { toNewsArticle } from "./jsonld.rules.js";
import { toNinjs, type NinjsItem } from "./ninjs.rules.js";

/**
 * A story the viewer may read, as IPTC ninjs, by its slug: read with everything it prints in one
 * statement. A story the viewer may not read is not found, as in GraphQL.
 */
export async function ninjsOfStory(
  ctx: OperationContext,
  slug: string,
  publication: PublicationConfig,
): Promise<{ storyId: string; item: NinjsItem }> {
  if (slug.length > SLUG_MAX_LENGTH) throw badInput("slug", `slug is at most ${SLUG_MAX_LENGTH} characters`);
  const story = await ctx.db.story.findUnique({
    where: { slug, AND: [readableStoriesWhere(ctx.viewer)] },
    include: {
      // Of a story the viewer may read, every paragraph and placement is readable; bylines and
      // correction notes print with it.
      paragraphs: { orderBy: { position: "asc" } },
      photos: { orderBy: { position: "asc" }, include: { photo: { include: { renditions: { orderBy: { name: "asc" } } } } } },
      bylines: { orderBy: { position: "asc" } },
      corrections: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    },
  });
  if (!story) throw notFound("Story", slug, "slug");
  const { paragraphs, bylines, corrections } = story;
  // Renditions are served by the API under /media/; partners get them as absolute addresses.
  const placements = story.photos.map((placement) => ({
    ...placement,
    photo: {
      ...placement.photo,
      renditions: placement.photo.renditions.map((rendition) => {
        const presented = presentRendition(rendition);
        return { ...presented, href: new URL(presented.href, `${publication.baseUrl}/`).href };
      }),
    },
  }));
  return { storyId: story.id, item: toNinjs({ story, paragraphs, placements, bylines, corrections }, publication) };
}

/**
 * A story as a schema.org NewsArticle. Its bylines, photos and correction notes come from the
 * request's loaders (one statement each for every story of a page), or with the story when its
 * read loaded them.
 */
export async function newsArticleOf(
  ctx: OperationContext,
  story: StoryRecord,
  publication: PublicationConfig,
): Promise<WithContext<NewsArticle>> {
  const [placements, bylines, corrections] = await Promise.all([
    story.placements ?? ctx.loaders.placementsByStory.load(story.id),
    ctx.loaders.bylinesByStory.load(story.id),
    ctx.loaders.correctionsByStory.load(story.id),
  ]);
  return toNewsArticle({ story, placements, bylines, corrections }, publication);
}
