import { ArrayMaxSize, IsOptional, MaxLength, MinLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { SourceKind, SourcingTerms } from "../graphql/enums.js";
import { LIMITS } from "../db/column-limits.js";

/** The fields a source is created with and changed by; only name and kind differ in whether they
 * are required. Never used on its own, so the schema (which leaves out unreferenced
 * types) does not show it. */
@InputType()
class SourceFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.sourceTitle)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.sourceAffiliation)
  affiliation?: string | null;

  @Field(() => SourcingTerms, { nullable: true, description: "ON_THE_RECORD when left out" })
  terms?: SourcingTerms | null;

  @Field(() => Boolean, { nullable: true, description: "Must agree with kind: true exactly when kind is ANONYMOUS" })
  isAnonymous?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.anonymousDescription)
  anonymousDescription?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.anonymityReason)
  anonymityReason?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: "Staff who know who an anonymous source is (at most 50); replaces the list. The identity itself is never stored",
  })
  @IsOptional()
  @ArrayMaxSize(50)
  identityKnownBy?: string[] | null;
}

@InputType({
  description:
    "A new source. Lengths: name 300, title 300, affiliation 300, anonymousDescription 500, anonymityReason 2000. An ANONYMOUS source needs anonymousDescription and anonymityReason; its name is an internal label, never the real name",
})
export class CreateSourceInput extends SourceFieldsInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(LIMITS.sourceName)
  name!: string;

  @Field(() => SourceKind)
  kind!: SourceKind;
}

@InputType({ description: "Changes to a source; fields left out stay. Same lengths and anonymity rules as CreateSourceInput" })
export class UpdateSourceInput extends SourceFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(LIMITS.sourceName)
  name?: string | null;

  @Field(() => SourceKind, { nullable: true })
  kind?: SourceKind | null;
}

@InputType()
export class SourceFilter {
  @Field(() => SourceKind, { nullable: true })
  kind?: SourceKind | null;

  @Field(() => String, { nullable: true, description: "Part of the name, case-insensitive (max 300)" })
  @IsOptional()
  @MaxLength(LIMITS.sourceName)
  name?: string | null;
}

@InputType({ description: "Folds the source mergeId into keepId" })
export class MergeSourcesInput {
  @Field(() => ID)
  keepId!: string;

  @Field(() => ID)
  mergeId!: string;
}
