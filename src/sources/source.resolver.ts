import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { AttributionType } from "../attributions/attribution.type.js";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { UserType } from "../users/user.type.js";
import { toConnection } from "../graphql/connection.js";
import { CreateSourceInput, MergeSourcesInput, SourceFilter, UpdateSourceInput } from "./source.inputs.js";
import * as sources from "./source.service.js";
import { SourceConnection, SourcePayload, SourceType } from "./source.type.js";

@Resolver(() => SourceType)
export class SourceResolver {
  @Query(() => SourceType, { nullable: true, description: "The public sees sources of published stories only" })
  @Access("PUBLIC")
  source(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return sources.findSource(ctx, id);
  }

  @Query(() => SourceConnection, {
    description: "Sources: for staff by name; for the public in order of first appearance, which gives away nothing of an anonymous source",
  })
  @Access("PUBLIC")
  async sources(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 20 when left out" }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "An endCursor from this list; at most 512 characters" }) after?: string,
    @Arg("filter", () => SourceFilter, { nullable: true }) filter?: SourceFilter,
  ) {
    return toConnection(await sources.listSources(ctx, { first, after, filter }));
  }

  @FieldResolver(() => [AttributionType], { description: "Oldest first" })
  attributions(
    @Root() source: SourceType,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 50 when left out" }) first?: number,
  ) {
    return sources.attributionsOfSource(ctx, source.id, first);
  }

  @FieldResolver(() => [UserType], { nullable: true, description: "Staff who know who an anonymous source is; null for the public" })
  identityKnownBy(@Root() source: SourceType, @Ctx() ctx: RequestContext) {
    return sources.identityKeepersOf(ctx, source.id);
  }

  @FieldResolver(() => UserType, {
    nullable: true,
    description: "The editor who approved this anonymous source's anonymity; staff only, null for the public and for the seed's sources",
  })
  anonymityApprovedBy(@Root() source: SourceType, @Ctx() ctx: RequestContext) {
    return sources.anonymityApproverOf(ctx, source);
  }

  @Mutation(() => SourcePayload)
  @Access("REPORTER")
  async createSource(@Ctx() ctx: RequestContext, @Arg("input", () => CreateSourceInput) input: CreateSourceInput) {
    return { source: await sources.createSource(ctx, input) };
  }

  @Mutation(() => SourcePayload)
  @Access("REPORTER")
  async updateSource(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateSourceInput) input: UpdateSourceInput,
  ) {
    return { source: await sources.updateSource(ctx, id, input) };
  }

  @Mutation(() => SourcePayload, {
    description:
      "An editor approves an anonymous source's anonymity, recording who and when; until then no story that attributes something to it " +
      "can be published. Refused (BAD_USER_INPUT) for a source that is not ANONYMOUS (field id, reason NOT_ANONYMOUS) and while its " +
      "anonymityReason is not stated (field anonymityReason, reason ANONYMITY_REASON_MISSING). A later change to its " +
      "anonymousDescription or anonymityReason withdraws the approval",
  })
  @Access("EDITOR")
  async approveAnonymousSource(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return { source: await sources.approveAnonymousSource(ctx, id) };
  }

  @Mutation(() => SourcePayload, { description: "Moves every attribution of mergeId to keepId and deletes mergeId" })
  @Access("EDITOR")
  async mergeSources(@Ctx() ctx: RequestContext, @Arg("input", () => MergeSourcesInput) input: MergeSourcesInput) {
    return { source: await sources.mergeSources(ctx, input) };
  }
}
