import { ArrayMaxSize, IsOptional, IsUUID, Matches, MaxLength, Min, MinLength, ValidateNested } from "class-validator";
import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import { StoryStatus } from "../graphql/enums.js";
import { LIMITS } from "../db/column-limits.js";
import { WithEditorialNote } from "../audit/audit.inputs.js";
import { SLUG_MAX_LENGTH } from "./story.rules.js";

const HEADLINE_MAX = LIMITS.headline;
const SUMMARY_MAX = LIMITS.summary;
const DATELINE_MAX = LIMITS.dateline;
const CREDIT_MAX = LIMITS.credit;
const PARAGRAPHS_MAX = LIMITS.paragraphsPerStory;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export enum StoryOrder {
  PUBLISHED_AT_DESC = "PUBLISHED_AT_DESC",
  UPDATED_AT_DESC = "UPDATED_AT_DESC",
  CREATED_AT_DESC = "CREATED_AT_DESC",
}
registerEnumType(StoryOrder, { name: "StoryOrder", description: "Newest first by publication (unpublished last), update or creation" });

@InputType({ description: "A byline as printed: name at most 200 characters, title and affiliation at most 200" })
export class BylineInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(LIMITS.bylineName)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.bylineTitle)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.bylineAffiliation)
  affiliation?: string | null;

  @Field(() => ID, { nullable: true, description: "The staff member this byline names, if any (shown to staff only)" })
  @IsOptional()
  @IsUUID()
  userId?: string | null;
}

/** The fields a story is created with and changed by; only the headline differs in whether it is
 * required. Never used on its own, so the schema (which leaves out unreferenced
 * types) does not show it. */
@InputType()
class StoryFieldsInput {
  @Field(() => String, { nullable: true, description: "Lowercase words joined by hyphens; made from the headline when left out" })
  @IsOptional()
  @MaxLength(SLUG_MAX_LENGTH)
  @Matches(SLUG, { message: "slug must be lowercase letters, digits and single hyphens" })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: "An empty string clears it on update" })
  @IsOptional()
  @MaxLength(SUMMARY_MAX)
  summary?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(DATELINE_MAX)
  dateline?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(CREDIT_MAX)
  credit?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "The body, one string a paragraph. On update it replaces the body; paragraphs keep their ids by position, so attributions stay anchored",
  })
  @IsOptional()
  @ArrayMaxSize(PARAGRAPHS_MAX)
  paragraphs?: string[] | null;

  @Field(() => [BylineInput], {
    nullable: true,
    description: "Who the story is by, in order; replaces the list (at most 20). A new story without it carries its author's byline",
  })
  @IsOptional()
  @ArrayMaxSize(LIMITS.bylinesPerStory)
  @ValidateNested()
  bylines?: BylineInput[] | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      "Nothing of the story reaches the public before this time, published or not; null clears it. Setting or clearing it is a versioned change like any other",
  })
  @IsOptional()
  embargoedUntil?: Date | null;
}

@InputType({
  description: "A new story. Lengths: headline 300, slug 200, summary 2000, dateline 100, credit 100; up to 500 paragraphs of 10000",
})
export class CreateStoryInput extends StoryFieldsInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(HEADLINE_MAX)
  headline!: string;
}

@InputType({ description: "Changes to a story; fields left out stay as they are. Same lengths as CreateStoryInput" })
export class UpdateStoryInput extends WithEditorialNote(StoryFieldsInput) {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(HEADLINE_MAX)
  headline?: string | null;
}

@InputType()
export class StoryFilter {
  @Field(() => StoryStatus, { nullable: true })
  status?: StoryStatus | null;

  @Field(() => String, { nullable: true, description: "Case-insensitive words in headline, summary or body (max 200)" })
  @IsOptional()
  @MaxLength(200)
  text?: string | null;

  @Field(() => ID, { nullable: true, description: "Stories that attribute something to this source" })
  sourceId?: string | null;

  @Field(() => String, { nullable: true, description: "Exact dateline, case-insensitive (max 100)" })
  @IsOptional()
  @MaxLength(DATELINE_MAX)
  dateline?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Published at or after" })
  publishedAfter?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Published before" })
  publishedBefore?: Date | null;
}

@InputType({ description: "A new paragraph; text at most 10000 characters" })
export class AddParagraphInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  storyId!: string;

  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => String)
  text!: string;

  @Field(() => Int, { nullable: true, description: "0 for the lede; left out, the paragraph goes last" })
  @IsOptional()
  @Min(0)
  position?: number | null;
}

@InputType({ description: "New text for one paragraph; at most 10000 characters" })
export class UpdateParagraphInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  paragraphId!: string;

  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => String)
  text!: string;
}

@InputType()
export class MoveParagraphInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  paragraphId!: string;

  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => Int, { description: "0 for the lede; past the end moves it last" })
  @Min(0)
  toPosition!: number;
}

@InputType()
export class RemoveParagraphInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  paragraphId!: string;

  @Field(() => Int)
  expectedVersion!: number;
}
