import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { COUNT_CAP } from "../db/pagination.js";
import { Connection } from "../graphql/connection.js";
import { SourceKind, SourcingTerms } from "../graphql/enums.js";

@ObjectType("Source", { description: "Who or what a story relies on. For the public, an anonymous source is only its description" })
export class SourceType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "For an anonymous source the public sees the description used in copy" })
  name!: string;

  @Field(() => SourceKind)
  kind!: SourceKind;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true })
  affiliation!: string | null;

  @Field(() => SourcingTerms)
  terms!: SourcingTerms;

  @Field(() => Boolean)
  isAnonymous!: boolean;

  @Field(() => String, { nullable: true, description: 'How copy describes it, e.g. "a senior Iraqi military intelligence official"' })
  anonymousDescription!: string | null;

  @Field(() => String, { nullable: true, description: "Why anonymity was granted; staff only" })
  anonymityReason!: string | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      "When an editor approved this anonymous source's anonymity (approveAnonymousSource); null until then, and again once its description or reason changes. Staff only",
  })
  anonymityApprovedAt!: Date | null;

  anonymityApprovedById!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

export const SourceConnection = Connection("Source", SourceType, {
  totalCount: `How many sources the list holds, ignoring paging, counted up to ${COUNT_CAP}: a longer list says ${COUNT_CAP}, and totalCountIsExact false`,
});

@ObjectType()
export class SourcePayload {
  @Field(() => SourceType, { nullable: true })
  source!: SourceType | null;
}
