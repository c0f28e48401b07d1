import { MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { WIRE_TEXT_MAX_BYTES } from "./wire.parser.js";

@InputType({ description: "Wire copy as filed: headline line, optional photo caption, dateline lede, paragraphs. At most 1 MiB" })
export class ImportWireStoryInput {
  @Field(() => String)
  @MaxLength(WIRE_TEXT_MAX_BYTES)
  text!: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Import even if the same text already made a story (refused with CONFLICT, reason DUPLICATE_WIRE_STORY, otherwise). " +
      "The copy is not recorded as the text's import, so later imports are still refused naming the first story. False when left out",
  })
  again?: boolean | null;
}
