import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { AttributionKind, AttributionMethod } from "../graphql/enums.js";

@ObjectType("Attribution", { description: "Who said or claimed what, and in which paragraph it stands" })
export class AttributionType {
  @Field(() => ID)
  id!: string;

  @Field(() => AttributionKind)
  kind!: AttributionKind;

  @Field(() => String, { nullable: true, description: "Verbatim for a direct quote; the claim for a paraphrase or statement" })
  quote!: string | null;

  @Field(() => AttributionMethod, { nullable: true })
  method!: AttributionMethod | null;

  @Field(() => Boolean, { description: "False for the importer's proposals until an editor confirms them" })
  confirmed!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  storyId!: string;
  sourceId!: string;
  paragraphId!: string;
}

@ObjectType()
export class AttributionPayload {
  @Field(() => AttributionType, { nullable: true })
  attribution!: AttributionType | null;
}

@ObjectType()
export class RemoveAttributionPayload {
  @Field(() => ID)
  removedAttributionId!: string;
}
