import { MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { WIRE_TEXT_MAX_BYTES } from "./wire.parser.js";

@InputType({ description: "Wire copy as filed: headline line, optional photo caption, dateline lede, paragraphs. At most 1 MiB" })
export class ImportWireStoryInput {
  @Field(() => String)
  @MaxLength(WIRE_TEXT_MAX_BYTES)
  text!: string;
}
