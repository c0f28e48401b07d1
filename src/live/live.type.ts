import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { StoryType } from "../stories/story.type.js";
import { UserType } from "../users/user.type.js";
import { STORY_CHANGE_KINDS, type StoryChangeKind as Kind } from "./live.rules.js";

export const StoryChangeKind = Object.fromEntries(STORY_CHANGE_KINDS.map((kind) => [kind, kind])) as { [K in Kind]: K };

registerEnumType(StoryChangeKind, {
  name: "StoryChangeKind",
  description:
    "What a committed change did. A correction note makes any change CORRECTED; an attribution added by staff is confirmed as it is " +
    "added (ATTRIBUTION_CONFIRMED); any other action, including ones added later, is UPDATED, and StoryChange.action names it",
});

@ObjectType("StoryChange", { description: "One committed change of a story, sent after its transaction committed, in commit order" })
export class StoryChangeType {
  @Field(() => StoryChangeKind)
  kind!: Kind;

  @Field(() => String, { description: "The audit trail's name for the change (Story.history's action), e.g. PARAGRAPH_MOVED" })
  action!: string;

  @Field(() => ID)
  storyId!: string;

  @Field(() => Int, { description: "The story's version after the change" })
  version!: number;

  @Field(() => DateTimeResolver, { description: "When the change was made" })
  at!: Date;

  @Field(() => StoryType, {
    nullable: true,
    description:
      "The story as it is now, with the version and status this change gave it. Null when the viewer may not read it: for the public, " +
      "a change that took the story out of publication; for anyone, a deleted story",
  })
  story!: StoryType | null;

  @Field(() => UserType, { nullable: true, description: "Who made the change; null for the public, the wire importer and the seed" })
  actor!: UserType | null;
}

@ObjectType("EditingLease", {
  description: "A staff member editing a story: advice only. Renew it by calling beginEditing again before expiresAt (the heartbeat)",
})
export class EditingLeaseType {
  @Field(() => ID)
  storyId!: string;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => DateTimeResolver)
  startedAt!: Date;

  @Field(() => DateTimeResolver, { description: "When the lease lapses unless renewed; then it is reported as EDITING_ENDED" })
  expiresAt!: Date;
}
