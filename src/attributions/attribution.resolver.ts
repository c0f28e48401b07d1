import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { SourceType } from "../sources/source.type.js";
import { ParagraphType, StoryType } from "../stories/story.type.js";
import { AddAttributionInput, UpdateAttributionInput } from "./attribution.inputs.js";
import * as attributions from "./attribution.service.js";
import type { AttributionRecord } from "../stories/story.service.js";
import { AttributionPayload, AttributionType, RemoveAttributionPayload } from "./attribution.type.js";

@Resolver(() => AttributionType)
export class AttributionResolver {
  @FieldResolver(() => SourceType)
  source(@Root() attribution: AttributionRecord, @Ctx() ctx: RequestContext) {
    return attributions.sourceOfAttribution(ctx, attribution);
  }

  @FieldResolver(() => ParagraphType)
  paragraph(@Root() attribution: AttributionRecord, @Ctx() ctx: RequestContext) {
    return attributions.paragraphOfAttribution(ctx, attribution);
  }

  @FieldResolver(() => StoryType, { nullable: true })
  story(@Root() attribution: AttributionRecord, @Ctx() ctx: RequestContext) {
    return attributions.storyOfAttribution(ctx, attribution);
  }

  @Mutation(() => AttributionPayload)
  @Access("REPORTER")
  async addAttribution(@Ctx() ctx: RequestContext, @Arg("input", () => AddAttributionInput) input: AddAttributionInput) {
    return { attribution: await attributions.addAttribution(ctx, input) };
  }

  @Mutation(() => AttributionPayload)
  @Access("REPORTER")
  async updateAttribution(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateAttributionInput) input: UpdateAttributionInput,
  ) {
    return { attribution: await attributions.updateAttribution(ctx, id, input) };
  }

  @Mutation(() => RemoveAttributionPayload)
  @Access("REPORTER")
  async removeAttribution(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return { removedAttributionId: await attributions.removeAttribution(ctx, id) };
  }

  @Mutation(() => AttributionPayload, { description: "An editor confirms an attribution the importer proposed" })
  @Access("EDITOR")
  async confirmAttribution(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return { attribution: await attributions.confirmAttribution(ctx, id) };
  }
}
