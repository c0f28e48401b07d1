import { DateTimeResolver } from "graphql-scalars";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import type { Story } from "../generated/prisma/client.js";
import { Access } from "../graphql/access.js";
import { StoryPayload, StoryType } from "../stories/story.type.js";
import * as scheduling from "./scheduling.service.js";

@Resolver(() => StoryType)
export class StorySchedulingResolver {
  @FieldResolver(() => DateTimeResolver, {
    nullable: true,
    description: "When the scheduler publishes the story (scheduleStory); null when it is not scheduled. Staff only, null for the public",
  })
  scheduledFor(@Root() story: Story, @Ctx() ctx: RequestContext): Date | null {
    return ctx.viewer ? story.scheduledFor : null;
  }

  @Mutation(() => StoryPayload, {
    description:
      "Publishes a DRAFT or IN_REVIEW story at publishAt (in the future), through the same checks as publishStory, once however many " +
      "instances run. Scheduling again moves the time; any step to another status (publishing, archiving) clears it",
  })
  @Access("EDITOR")
  async scheduleStory(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("publishAt", () => DateTimeResolver) publishAt: Date,
  ) {
    return { story: await scheduling.scheduleStory(ctx, id, expectedVersion, publishAt) };
  }

  @Mutation(() => StoryPayload, {
    description: "Takes a scheduled story off the schedule; CONFLICT (NOT_SCHEDULED) when it is not scheduled",
  })
  @Access("EDITOR")
  async unscheduleStory(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
  ) {
    return { story: await scheduling.unscheduleStory(ctx, id, expectedVersion) };
  }
}
