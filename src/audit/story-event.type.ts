import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { StoryStatus } from "../graphql/enums.js";

@ObjectType("StoryEvent", { description: "One change to a story, as the audit trail recorded it" })
export class StoryEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "CREATED, IMPORTED, UPDATED, SUBMITTED, PUBLISHED, PARAGRAPH_MOVED, PHOTO_ATTACHED..." })
  action!: string;

  @Field(() => Int, { description: "The story's version after the change" })
  version!: number;

  @Field(() => StoryStatus, { nullable: true })
  fromStatus!: StoryStatus | null;

  @Field(() => StoryStatus, { nullable: true })
  toStatus!: StoryStatus | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => JSONObjectResolver, {
    nullable: true,
    description:
      "What else the change recorded: for a scheduled publication (PUBLISHED) { scheduled: true, publishAt }, for SCHEDULED " +
      "{ publishAt }, for SCHEDULE_FAILED { publishAt, code, reason, message } and the refusal's other extensions, such as blockers",
  })
  details!: Record<string, unknown> | null;

  actorId!: string | null;
}
