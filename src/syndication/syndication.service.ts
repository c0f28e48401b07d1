import type { NewsArticle, WithContext } from "schema-dts";
import type { PublicationConfig } from "../config.js";
import type { OperationContext } from "../context/operation-context.js";
import { presentRendition } from "../media/media.rules.js";
import { badInput, notFound } from "../errors.js";
import { summaryOf, type StoryRecord } from "../stories/story.service.js";
import { SLUG_MAX_LENGTH, mayReadBody, readableKillNoticesWhere, readableStoriesWhere } from "../stories/story.rules.js";
import { toNewsArticle } from "./jsonld.rules.js";
import { ninjsKillNotice, toNinjs, type NinjsItem } from "./ninjs.rules.js";

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
      // Of a story the viewer may read, every paragraph and placement is readable unless it is
      // retracted (below); bylines and correction notes print with it.
      paragraphs: { orderBy: { position: "asc" } },
      photos: { orderBy: { position: "asc" }, include: { photo: { include: { renditions: { orderBy: { name: "asc" } } } } } },
      bylines: { orderBy: { position: "asc" } },
      corrections: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    },
  });
  if (!story) return ninjsKillNoticeOf(ctx, slug, publication);
  const { bylines, corrections } = story;
  // A retracted story's body (summary, paragraphs, photos) is not the public's; its headline, bylines and notes are.
  const body = mayReadBody(ctx.viewer, story);
  // Renditions are served by the API under /media/; partners get them as absolute addresses.
  const placements = (body ? story.photos : []).map((placement) => ({
    ...placement,
    photo: {
      ...placement.photo,
      renditions: placement.photo.renditions.map((rendition) => {
        const presented = presentRendition(rendition);
        return { ...presented, href: new URL(presented.href, `${publication.baseUrl}/`).href };
      }),
    },
  }));
  const paragraphs = body ? story.paragraphs : [];
  const printed = body ? story : { ...story, summary: null };
  return {
    storyId: story.id,
    item: toNinjs({ story: printed, paragraphs, placements, bylines, corrections }, { ...publication, now: new Date() }),
  };
}

/**
 * The canceled item of a killed story the viewer may read the kill notice of (readableKillNoticesWhere):
 * a partner who took the story learns it is withdrawn. Any other slug is not found.
 */
async function ninjsKillNoticeOf(
  ctx: OperationContext,
  slug: string,
  publication: PublicationConfig,
): Promise<{ storyId: string; item: NinjsItem }> {
  const killed = await ctx.db.story.findFirst({
    where: { slug, AND: [readableKillNoticesWhere(ctx.viewer)] },
    select: { id: true, version: true, createdAt: true, killedAt: true, killNotice: true },
  });
  if (!killed?.killedAt || killed.killNotice === null) throw notFound("Story", slug, "slug");
  const notice = { ...killed, killedAt: killed.killedAt, notice: killed.killNotice };
  return { storyId: killed.id, item: ninjsKillNotice(notice, { ...publication, now: new Date() }) };
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
  return toNewsArticle({ story: { ...story, summary: summaryOf(ctx, story) }, placements, bylines, corrections }, publication);
}
