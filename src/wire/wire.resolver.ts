import { MaxLength } from "class-validator";
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../context.js";
import { Access } from "../graphql/access.js";
import { StoryType } from "../stories/story.type.js";
import { WIRE_TEXT_MAX_BYTES } from "./wire.parser.js";
import * as wire from "./wire.service.js";

@InputType({ description: "Wire copy as filed: headline line, optional photo caption, dateline lede, paragraphs. At most 1 MiB" })
export class ImportWireStoryInput {
  @Field(() => String)
  @MaxLength(WIRE_TEXT_MAX_BYTES)
  text!: string;
}

@ObjectType()
export class ImportWireStoryPayload {
  @Field(() => StoryType)
  story!: StoryType;

  @Field(() => Int, { description: "Direct quotes stored as unconfirmed attributions for an editor to confirm" })
  proposedAttributions!: number;

  @Field(() => Int, { description: "Quotes left for an editor: the sentence names no speaker, or a part is too long to store" })
  unattributedQuotes!: number;
}

@Resolver()
export class WireResolver {
  @Mutation(() => ImportWireStoryPayload, { description: "Imports wire copy as a DRAFT story" })
  @Access("REPORTER")
  importWireStory(@Ctx() ctx: RequestContext, @Arg("input", () => ImportWireStoryInput) input: ImportWireStoryInput) {
    return wire.importWireStory(ctx, input);
  }
}
