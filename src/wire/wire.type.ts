import { Field, Int, ObjectType } from "type-graphql";
import { StoryType } from "../stories/story.type.js";

@ObjectType()
export class ImportWireStoryPayload {
  @Field(() => StoryType)
  story!: StoryType;

  @Field(() => Int, { description: "Body paragraphs imported, the lede first" })
  paragraphCount!: number;

  @Field(() => Int, { description: "Quotes found in the copy, attributed or not" })
  quoteCount!: number;

  @Field(() => Int, { description: "Sources the proposed attributions name, found in the newsroom or made by this import" })
  proposedSpeakers!: number;

  @Field(() => Int, {
    description: "Quotes, and paraphrases of anonymous sources, stored as unconfirmed attributions for an editor to confirm",
  })
  proposedAttributions!: number;

  @Field(() => Int, {
    description: 'Quotes left for an editor: no speaker named, an unnamed one ("one woman"), or a part too long to store',
  })
  unattributedQuotes!: number;
}
