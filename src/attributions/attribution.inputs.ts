import { IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { AttributionKind, AttributionMethod } from "../graphql/enums.js";
import { LIMITS } from "../db/column-limits.js";

const QUOTE_MAX = LIMITS.quote;

/** The words and how they were obtained, the same on creation and change. Never used on its own,
 * so the schema (which leaves out unreferenced types) does not show it. */
@InputType()
class AttributionWordsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(QUOTE_MAX)
  quote?: string | null;

  @Field(() => AttributionMethod, { nullable: true })
  method?: AttributionMethod | null;
}

@InputType({
  description:
    "Who said what, where. A DIRECT_QUOTE's quote (max 4000) must appear verbatim in the paragraph; curly and straight quote marks count as the same",
})
export class AddAttributionInput extends AttributionWordsInput {
  @Field(() => ID)
  storyId!: string;

  @Field(() => ID)
  sourceId!: string;

  @Field(() => ID)
  paragraphId!: string;

  @Field(() => AttributionKind)
  kind!: AttributionKind;
}

@InputType({ description: "Changes to an attribution; fields left out stay. The verbatim rule applies to the result" })
export class UpdateAttributionInput extends AttributionWordsInput {
  @Field(() => ID, { nullable: true })
  sourceId?: string | null;

  @Field(() => ID, { nullable: true, description: "Another paragraph of the same story" })
  paragraphId?: string | null;

  @Field(() => AttributionKind, { nullable: true })
  kind?: AttributionKind | null;
}
