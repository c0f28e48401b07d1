import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { ImportWireStoryInput } from "./wire.inputs.js";
import * as wire from "./wire.service.js";
import { ImportWireStoryPayload } from "./wire.type.js";

@Resolver()
export class WireResolver {
  @Mutation(() => ImportWireStoryPayload, { description: "Imports wire copy as a DRAFT story" })
  @Access("REPORTER")
  importWireStory(@Ctx() ctx: RequestContext, @Arg("input", () => ImportWireStoryInput) input: ImportWireStoryInput) {
    return wire.importWireStory(ctx, input);
  }
}
