import { IsOptional, MaxLength, MinLength, ValidateNested } from "class-validator";
import { Field, InputType, registerEnumType, type ClassType } from "type-graphql";
import { CorrectionKind } from "../generated/prisma/client.js";
import { LIMITS } from "../db/column-limits.js";

registerEnumType(CorrectionKind, {
  name: "CorrectionKind",
  description:
    "CORRECTION: a fact was wrong; CLARIFICATION: it was unclear; EDITORS_NOTE: anything else readers should know; RETRACTION: the story should not have run (its body is then hidden from the public)",
});

export { CorrectionKind };

@InputType({ description: "A public note on what changed in a published story and why; text at most 2000 characters" })
export class CorrectionInput {
  @Field(() => CorrectionKind)
  kind!: CorrectionKind;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(LIMITS.correctionText)
  text!: string;
}

/**
 * The fields every change to a story's printed text carries: once a story has been published, such
 * a change needs a correction note (public) or a stated minor edit (staff only), or it is refused.
 * A mixin, since the inputs that take them already extend inputs of their own.
 */
export function WithEditorialNote<Base extends ClassType>(BaseInput: Base) {
  @InputType()
  class EditorialNoteInput extends BaseInput {
    @Field(() => CorrectionInput, {
      nullable: true,
      description:
        "Needed, or minorEditReason, to change the text of a story once published: printed with the story, dated and linked to this revision",
    })
    @IsOptional()
    @ValidateNested()
    correction?: CorrectionInput | null;

    @Field(() => String, {
      nullable: true,
      description:
        "For a change to a published story's text that corrects no fact (a typo): why no correction note is needed; at most 500 characters, staff only",
    })
    @IsOptional()
    @MinLength(1)
    @MaxLength(LIMITS.minorEditReason)
    minorEditReason?: string | null;
  }
  return EditorialNoteInput;
}
