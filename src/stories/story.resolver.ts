import type { GraphQLResolveInfo } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { AttributionType } from "../attributions/attribution.type.js";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { toConnection } from "../graphql/connection.js";
import { selectedFields, type FieldTree } from "../graphql/selection.js";
import { StoryPhotoType } from "../photos/photo.type.js";
import * as photos from "../photos/photo.service.js";
import { SourceType } from "../sources/source.type.js";
import * as sources from "../sources/source.service.js";
import {
  AddParagraphInput,
  CreateStoryInput,
  MoveParagraphInput,
  RemoveParagraphInput,
  StoryFilter,
  StoryOrder,
  UpdateParagraphInput,
  UpdateStoryInput,
} from "./story.inputs.js";
import * as paragraphs from "./paragraph.service.js";
import * as editing from "./story-editing.service.js";
import * as stories from "./story.service.js";
import type { StoryReadPlan, StoryRecord } from "./story.service.js";
import type { WorkflowAction } from "./story.rules.js";
import { StoryEventType } from "../audit/story-event.type.js";
import { UserType } from "../users/user.type.js";
import * as audit from "../audit/audit.service.js";
import {
  BylineType,
  DeleteStoryPayload,
  KillNoticeType,
  ParagraphType,
  PublishBlockerType,
  StoryConnection,
  StoryPayload,
  StoryType,
} from "./story.type.js";

/** The relations a selection of Story fields reads, for the service to load with the stories. */
function storyReadPlan(story: FieldTree | undefined): StoryReadPlan {
  if (!story) return {};
  const { photos, leadPhoto, attributions, sources } = story;
  return {
    paragraphs: Boolean(story.paragraphs ?? story.bodyText),
    placements: photos && { paragraph: Boolean(photos.paragraph ?? leadPhoto?.paragraph) },
    leadPlacement: !photos && leadPhoto ? { paragraph: Boolean(leadPhoto.paragraph) } : undefined,
    attributions:
      attributions || sources
        ? { source: Boolean(attributions?.source ?? sources), paragraph: Boolean(attributions?.paragraph) }
        : undefined,
  };
}

/** The plan for the stories of a connection: the fields selected on its nodes. */
const connectionReadPlan = (info: GraphQLResolveInfo) => storyReadPlan(selectedFields(info).edges?.node);

const transition = (ctx: RequestContext, id: string, expectedVersion: number, action: WorkflowAction) =>
  editing.transitionStory(ctx, id, expectedVersion, action).then((story) => ({ story }));

@Resolver(() => StoryType)
export class StoryResolver {
  @Query(() => StoryType, { nullable: true, description: "A story by id or slug; the public sees published stories only" })
  @Access("PUBLIC")
  story(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("id", () => ID, { nullable: true }) id?: string,
    @Arg("slug", () => String, { nullable: true, description: "At most 200 characters" }) slug?: string,
  ) {
    return stories.findStory(ctx, { id, slug }, storyReadPlan(selectedFields(info)));
  }

  @Query(() => StoryConnection)
  @Access("PUBLIC")
  async stories(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 20 when left out" }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "An endCursor from this list; at most 512 characters" }) after?: string,
    @Arg("filter", () => StoryFilter, { nullable: true }) filter?: StoryFilter,
    @Arg("orderBy", () => StoryOrder, { nullable: true }) orderBy?: StoryOrder,
  ) {
    return toConnection(await stories.listStories(ctx, { first, after, filter, orderBy }, connectionReadPlan(info)));
  }

  @Query(() => StoryConnection, {
    description:
      `Full-text search, most relevant first, among the ${stories.SEARCH_CANDIDATES} most recent stories that match: for the public ` +
      `the most recently published, for staff the most recently created. A word in more stories than that returns its ` +
      `${stories.SEARCH_CANDIDATES} most recent, and totalCount says ${stories.SEARCH_CANDIDATES} with totalCountIsExact false. A ` +
      `search that runs longer than ${stories.SEARCH_TIME_LIMIT_MS / 1000} s is stopped and refused (BAD_USER_INPUT on query, ` +
      "reason SEARCH_TOO_BROAD). query in web-search syntax, at most 500 characters",
  })
  @Access("PUBLIC")
  async searchStories(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("query", () => String, { description: 'Words, "quoted phrases", -excluded words; at most 500 characters' }) query: string,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 20 when left out" }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "An endCursor from this search; at most 512 characters" }) after?: string,
  ) {
    return toConnection(await stories.searchStories(ctx, { query, first, after }, connectionReadPlan(info)));
  }

  @Query(() => KillNoticeType, {
    nullable: true,
    description: "The notice at a killed story's slug (for the public, of a story once published); null for a story that is not killed",
  })
  @Access("PUBLIC")
  killNotice(@Ctx() ctx: RequestContext, @Arg("slug", () => String, { description: "At most 200 characters" }) slug: string) {
    return stories.findKillNotice(ctx, slug);
  }

  @FieldResolver(() => String, { nullable: true, description: "Null for the public once the story is retracted" })
  summary(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return stories.summaryOf(ctx, story);
  }

  @FieldResolver(() => DateTimeResolver, {
    nullable: true,
    description:
      "Until when nothing of the story reaches the public; staff only (the public never sees an embargoed story), null for the public",
  })
  embargoedUntil(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return ctx.viewer ? story.embargoedUntil : null;
  }

  @FieldResolver(() => [ParagraphType])
  paragraphs(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return stories.paragraphsOf(ctx, story);
  }

  @FieldResolver(() => String, { description: "The body as plain text, the dateline before the lede as printed" })
  bodyText(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return stories.bodyTextOf(ctx, story);
  }

  @FieldResolver(() => [StoryPhotoType])
  photos(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return photos.placementsOfStory(ctx, story);
  }

  @FieldResolver(() => StoryPhotoType, { nullable: true, description: "The photo that leads the story (its LEAD placement), or null" })
  leadPhoto(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return photos.leadPlacementOf(ctx, story);
  }

  @FieldResolver(() => [AttributionType])
  attributions(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return stories.attributionsOf(ctx, story);
  }

  @FieldResolver(() => [StoryEventType], {
    nullable: true,
    description: "Who changed what and when, newest first; staff only, null for the public",
  })
  history(
    @Root() story: StoryType,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 50 when left out" }) first?: number,
  ) {
    return audit.historyOf(ctx, story.id, first);
  }

  @FieldResolver(() => [PublishBlockerType], {
    nullable: true,
    description:
      "What stops the story being published now (publishStory refuses with the same list), whatever its status; empty when nothing does. Staff only, null for the public",
  })
  publishBlockers(@Root() story: StoryType, @Ctx() ctx: RequestContext) {
    return stories.publishBlockersOf(ctx, story.id);
  }

  @FieldResolver(() => [BylineType], { description: "Who the story is by, in order, as printed" })
  bylines(@Root() story: StoryType, @Ctx() ctx: RequestContext) {
    return ctx.loaders.bylinesByStory.load(story.id);
  }

  @FieldResolver(() => [SourceType], { description: "Every source the story attributes something to, in order of first appearance" })
  sources(@Root() story: StoryRecord, @Ctx() ctx: RequestContext) {
    return sources.sourcesOfStory(ctx, story);
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async createStory(@Ctx() ctx: RequestContext, @Arg("input", () => CreateStoryInput) input: CreateStoryInput) {
    return { story: await editing.createStory(ctx, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async updateStory(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("input", () => UpdateStoryInput) input: UpdateStoryInput,
  ) {
    return { story: await editing.updateStory(ctx, id, expectedVersion, input) };
  }

  @Mutation(() => StoryPayload, { description: "DRAFT → IN_REVIEW; the author or an editor" })
  @Access("REPORTER")
  submitStoryForReview(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
  ) {
    return transition(ctx, id, expectedVersion, "submit");
  }

  @Mutation(() => StoryPayload, { description: "IN_REVIEW → DRAFT, sending a story back to its author" })
  @Access("EDITOR")
  returnStoryToDraft(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
  ) {
    return transition(ctx, id, expectedVersion, "returnToDraft");
  }

  @Mutation(() => StoryPayload, {
    description:
      "DRAFT or IN_REVIEW → PUBLISHED; needs a headline, a paragraph, every photo captioned and credited, every anonymous source it " +
      "attributes something to approved with its reason stated, and every attribution confirmed. Refused otherwise (BAD_USER_INPUT, " +
      "reason NOT_READY_TO_PUBLISH, with every blocker in extensions.blockers, as Story.publishBlockers lists them)",
  })
  @Access("EDITOR")
  publishStory(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string, @Arg("expectedVersion", () => Int) expectedVersion: number) {
    return transition(ctx, id, expectedVersion, "publish");
  }

  @Mutation(() => StoryPayload, { description: "PUBLISHED → DRAFT" })
  @Access("EDITOR")
  unpublishStory(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string, @Arg("expectedVersion", () => Int) expectedVersion: number) {
    return transition(ctx, id, expectedVersion, "unpublish");
  }

  @Mutation(() => StoryPayload, { description: "Spikes a story at any stage" })
  @Access("EDITOR")
  archiveStory(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string, @Arg("expectedVersion", () => Int) expectedVersion: number) {
    return transition(ctx, id, expectedVersion, "archive");
  }

  @Mutation(() => StoryPayload, { description: "ARCHIVED → DRAFT" })
  @Access("EDITOR")
  restoreStory(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string, @Arg("expectedVersion", () => Int) expectedVersion: number) {
    return transition(ctx, id, expectedVersion, "restore");
  }

  @Mutation(() => StoryPayload, {
    description:
      "Any status but KILLED → KILLED, for good: out of every public read at once; the public reads the reason at the slug (killNotice). " +
      "reason: the notice's text, at most 2000 characters",
  })
  @Access("EDITOR")
  async killStory(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reason", () => String) reason: string,
  ) {
    return { story: await editing.killStory(ctx, id, expectedVersion, reason) };
  }

  @Mutation(() => DeleteStoryPayload, { description: "Deletes a draft for good; published stories are archived instead" })
  @Access("REPORTER")
  async deleteStory(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
  ) {
    return { deletedStoryId: await editing.deleteStory(ctx, id, expectedVersion) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async addParagraph(@Ctx() ctx: RequestContext, @Arg("input", () => AddParagraphInput) input: AddParagraphInput) {
    return { story: await paragraphs.addParagraph(ctx, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async updateParagraph(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateParagraphInput) input: UpdateParagraphInput) {
    return { story: await paragraphs.updateParagraph(ctx, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async moveParagraph(@Ctx() ctx: RequestContext, @Arg("input", () => MoveParagraphInput) input: MoveParagraphInput) {
    return { story: await paragraphs.moveParagraph(ctx, input) };
  }

  @Mutation(() => StoryPayload, { description: "Refused while the paragraph anchors attributions" })
  @Access("REPORTER")
  async removeParagraph(@Ctx() ctx: RequestContext, @Arg("input", () => RemoveParagraphInput) input: RemoveParagraphInput) {
    return { story: await paragraphs.removeParagraph(ctx, input) };
  }
}

@Resolver(() => BylineType)
export class BylineResolver {
  @FieldResolver(() => UserType, { nullable: true, description: "The staff member the byline names; staff only, null for the public" })
  user(@Root() byline: BylineType, @Ctx() ctx: RequestContext) {
    return ctx.viewer && byline.userId ? ctx.loaders.userById.load(byline.userId) : null;
  }
}
