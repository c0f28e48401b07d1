import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { StoryType } from "../stories/story.type.js";
import { UserType } from "../users/user.type.js";
import * as editing from "./editing.service.js";
import * as live from "./live.service.js";
import type { LiveOperationContext, StoryChange } from "./live.service.js";
import { EditingLeaseType, StoryChangeType } from "./live.type.js";

// type-graphql runs a subscription's `subscribe` without the method's middleware, so the services
// that open the streams check the viewer themselves; @Access still declares each one's access.
@Resolver(() => StoryType)
export class LiveResolver {
  @Subscription(() => StoryChangeType, {
    description:
      "Every committed change of one story, in commit order, over graphql-ws at this path. Public for published stories: the public " +
      "hears of changes that leave the story published or take it out of publication, never of a draft's, nor of who is editing",
    subscribe: ({ args, context }) => live.storyChanges(context as LiveOperationContext, args.id as string),
  })
  @Access("PUBLIC")
  storyChanged(@Root() change: StoryChange, @Arg("id", () => ID) _id: string): StoryChange {
    return change;
  }

  @Subscription(() => StoryChangeType, {
    description: "Every committed change of every story, with who made it: the desk's feed, over graphql-ws at this path; staff only",
    subscribe: ({ context }) => live.deskActivity(context as LiveOperationContext),
  })
  @Access("REPORTER")
  deskActivity(@Root() change: StoryChange): StoryChange {
    return change;
  }

  @Mutation(() => EditingLeaseType, {
    description:
      "Says the viewer is editing the story, for the desk to see (Story.editors, EDITING_STARTED); advice only, expectedVersion still " +
      "decides every save. Call it again before expiresAt to renew the lease (the heartbeat); without one it lapses (EDITING_ENDED)",
  })
  @Access("REPORTER")
  beginEditing(@Ctx() ctx: RequestContext, @Arg("storyId", () => ID) storyId: string) {
    return editing.beginEditing(ctx, storyId, ctx.settings.editingLeaseSeconds);
  }

  @Mutation(() => Boolean, { description: "Ends the viewer's editing lease on the story (EDITING_ENDED); false when they held none" })
  @Access("REPORTER")
  endEditing(@Ctx() ctx: RequestContext, @Arg("storyId", () => ID) storyId: string) {
    return editing.endEditing(ctx, storyId);
  }

  @FieldResolver(() => [UserType], {
    description: "The staff editing the story now (unexpired leases), longest first; empty for the public",
  })
  editors(@Root() story: StoryType, @Ctx() ctx: RequestContext) {
    return editing.editorsOf(ctx, story.id);
  }
}
