import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { toConnection } from "../graphql/connection.js";
import * as editing from "../stories/story-editing.service.js";
import { StoryPayload, StoryType } from "../stories/story.type.js";
import { UserType } from "../users/user.type.js";
import { CorrectionInput } from "./audit.inputs.js";
import * as audit from "./audit.service.js";
import * as revisions from "./revision.service.js";
import type { RevisionRecord } from "./revision.service.js";
import { CorrectionType, StoryDiffType, StoryRevisionConnection, StoryRevisionType } from "./revision.type.js";
import { StoryEventType } from "./story-event.type.js";

/** A revision as the API shows it: its record, with the printed story it holds spread out. */
const revisionNode = (revision: RevisionRecord) => ({ ...revision.content, ...revision });

@Resolver(() => StoryType)
export class StoryAuditResolver {
  @FieldResolver(() => StoryRevisionConnection, {
    nullable: true,
    description: "What the story printed at each version, newest first; staff only, null for the public",
  })
  async revisions(
    @Root() story: StoryType,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 20 when left out" }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "An endCursor from this list" }) after?: string,
  ) {
    const page = await revisions.revisionsOf(ctx, story.id, { first, after });
    return page && toConnection(page, revisionNode);
  }

  @FieldResolver(() => StoryRevisionType, { nullable: true, description: "The revision made at that version; staff only" })
  async revision(@Root() story: StoryType, @Ctx() ctx: RequestContext, @Arg("version", () => Int) version: number) {
    const revision = await revisions.revisionOf(ctx, story.id, version);
    return revision && revisionNode(revision);
  }

  @FieldResolver(() => [CorrectionType], {
    description: "Corrections, clarifications, editor's notes and retractions, newest first; public",
  })
  corrections(@Root() story: StoryType, @Ctx() ctx: RequestContext) {
    return ctx.loaders.correctionsByStory.load(story.id);
  }

  @Query(() => StoryDiffType, { description: "Two revisions of a story compared paragraph by paragraph; staff only" })
  @Access("REPORTER")
  storyDiff(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("fromVersion", () => Int) fromVersion: number,
    @Arg("toVersion", () => Int) toVersion: number,
  ) {
    return revisions.storyDiff(ctx, id, fromVersion, toVersion);
  }

  @Mutation(() => StoryPayload, {
    description:
      "Makes a new version with the content of an earlier one; history is never rewritten. A published story needs correction or minorEditReason when its text changes",
  })
  @Access("REPORTER")
  async restoreStoryRevision(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("version", () => Int) version: number,
    @Arg("correction", () => CorrectionInput, { nullable: true }) correction?: CorrectionInput,
    @Arg("minorEditReason", () => String, { nullable: true }) minorEditReason?: string,
  ) {
    return { story: await editing.restoreStoryRevision(ctx, { id, expectedVersion, version, correction, minorEditReason }) };
  }
}

@Resolver(() => StoryRevisionType)
export class StoryRevisionResolver {
  @FieldResolver(() => UserType, { nullable: true, description: "Null for imports and for users since removed" })
  author(@Root() revision: StoryRevisionType, @Ctx() ctx: RequestContext) {
    return audit.actorOfEvent(ctx, { actorId: revision.authorId });
  }
}

@Resolver(() => StoryEventType)
export class StoryEventResolver {
  @FieldResolver(() => UserType, { nullable: true, description: "Null for imports and for users since removed" })
  actor(@Root() event: StoryEventType, @Ctx() ctx: RequestContext) {
    return audit.actorOfEvent(ctx, event);
  }
}
