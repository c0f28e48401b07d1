import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { StoryStatus } from "../graphql/enums.js";
import { COUNT_CAP } from "../db/pagination.js";
import { Connection } from "../graphql/connection.js";
import { PUBLISH_BLOCKER_KINDS, type PublishBlockerKind } from "./publish.rules.js";

@ObjectType("Paragraph", { description: "One paragraph of a story body; its id stays the same through edits and moves" })
export class ParagraphType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "0 for the lede" })
  position!: number;

  @Field(() => String)
  text!: string;

  storyId!: string;
}

@ObjectType("Story")
export class StoryType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  headline!: string;

  /** Story.summary is resolved in StoryResolver: a retraction hides it from the public. */
  summary!: string | null;

  @Field(() => String, { nullable: true, description: 'As printed, e.g. "BAGHDAD"' })
  dateline!: string | null;

  @Field(() => String, { nullable: true, description: 'Agency or credit printed with the dateline, e.g. "AP"' })
  credit!: string | null;

  @Field(() => StoryStatus)
  status!: StoryStatus;

  @Field(() => Int, { description: "Pass as expectedVersion when changing the story" })
  version!: number;

  @Field(() => DateTimeResolver, { nullable: true })
  publishedAt!: Date | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  authorId!: string | null;
  retractedAt!: Date | null;
  embargoedUntil!: Date | null;
}

@ObjectType("KillNotice", {
  description: "What the public reads at a killed story's slug: that it was killed, when, and why; never the story",
})
export class KillNoticeType {
  @Field(() => String)
  slug!: string;

  @Field(() => DateTimeResolver)
  killedAt!: Date;

  @Field(() => String, { description: "The reason the editor stated when killing the story" })
  notice!: string;
}

@ObjectType("Byline", { description: "Who a story is by, as printed" })
export class BylineType {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true })
  affiliation!: string | null;

  userId!: string | null;
}

registerEnumType(PUBLISH_BLOCKER_KINDS, {
  name: "PublishBlockerKind",
  description: "What stops a story being published",
  valuesConfig: {
    HEADLINE_MISSING: { description: "The story has no headline" },
    BODY_MISSING: { description: "The story has no paragraph" },
    PHOTO_CAPTION_MISSING: { description: "A photo in the story has no caption" },
    PHOTO_CREDIT_MISSING: { description: "A photo in the story has no credit" },
    ANONYMITY_REASON_MISSING: { description: "An anonymous source the story relies on has no stated reason for its anonymity" },
    ANONYMOUS_SOURCE_UNAPPROVED: { description: "An editor has not approved the anonymity of a source the story relies on" },
    ATTRIBUTION_UNCONFIRMED: { description: "An attribution the importer proposed has not been confirmed" },
  },
});

@ObjectType("PublishBlocker", { description: "One thing that stops a story being published, and what to clear" })
export class PublishBlockerType {
  @Field(() => PUBLISH_BLOCKER_KINDS)
  kind!: PublishBlockerKind;

  @Field(() => String, { description: "What stops publication and how to clear it" })
  message!: string;

  @Field(() => String, { nullable: true, description: 'The story\'s field at fault, e.g. "headline" or "photos[0].credit"' })
  field!: string | null;

  @Field(() => ID, { nullable: true, description: "The source at fault, or the source of the attribution at fault" })
  sourceId!: string | null;

  @Field(() => ID, { nullable: true, description: "The attribution at fault" })
  attributionId!: string | null;
}

export const StoryConnection = Connection("Story", StoryType, {
  totalCount:
    "How many stories the list holds, ignoring paging. A list limited by status alone (the public's, or the desk's with no filter " +
    "but status) is counted exactly, from counts the database keeps per status as stories are written. A list filtered by " +
    `anything else is counted up to ${COUNT_CAP}: a longer list says ${COUNT_CAP}, and totalCountIsExact false. A search ` +
    "is counted the same way, up to the most stories it returns (see searchStories)",
});

@ObjectType()
export class StoryPayload {
  @Field(() => StoryType, { nullable: true })
  story!: StoryType | null;
}

@ObjectType()
export class DeleteStoryPayload {
  @Field(() => ID)
  deletedStoryId!: string;
}
