import { JSONObjectResolver } from "graphql-scalars";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import type { StoryRecord } from "../stories/story.service.js";
import { StoryType } from "../stories/story.type.js";
import * as syndication from "./syndication.service.js";

@Resolver(() => StoryType)
export class StorySyndicationResolver {
  @FieldResolver(() => JSONObjectResolver, {
    description:
      "The story as a schema.org NewsArticle (JSON-LD, for a page's script type=application/ld+json): headline, dateline, " +
      "dates, authors from the bylines, the publisher, the photos as ImageObjects with caption and credit, and the correction notes " +
      "as CorrectionComments",
  })
  jsonLd(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return syndication.newsArticleOf(ctx, story, ctx.publication);
  }
}
