import { IsOptional, MaxLength, Min } from "class-validator";
import { DateTimeResolver } from "graphql-scalars";
import { WithEditorialNote } from "../audit/audit.inputs.js";
import { Field, ID, InputType, Int } from "type-graphql";
import { PhotoRole } from "../graphql/enums.js";
import { LIMITS } from "../db/column-limits.js";

const CAPTION_MAX = LIMITS.caption;

@InputType({ description: "Photo metadata. Lengths: url 2048, caption 4000, credit 300, location 300, altText 1000" })
export class PhotoInput extends WithEditorialNote(Object) {
  @Field(() => String, { nullable: true, description: "Where the image file is served; absolute http(s)" })
  @IsOptional()
  @MaxLength(2048)
  url?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(CAPTION_MAX)
  caption?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(300)
  credit?: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  takenAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(300)
  location?: string | null;

  @Field(() => Boolean, { nullable: true })
  isFilePhoto?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  altText?: string | null;
}

@InputType({ description: "Places a photo in a story; caption (max 4000) overrides the photo's own in this story" })
export class AttachPhotoInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  storyId!: string;

  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => ID)
  photoId!: string;

  @Field(() => PhotoRole, { nullable: true, description: "LEAD for the first photo of a story, INLINE after" })
  role?: PhotoRole | null;

  @Field(() => Int, { nullable: true, description: "0 first; left out, last" })
  @IsOptional()
  @Min(0)
  position?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(CAPTION_MAX)
  caption?: string | null;

  @Field(() => ID, { nullable: true, description: "The paragraph an inline photo stands next to" })
  paragraphId?: string | null;
}

@InputType()
export class DetachPhotoInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  storyPhotoId!: string;

  @Field(() => Int)
  expectedVersion!: number;
}

@InputType()
export class MovePhotoInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  storyPhotoId!: string;

  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => Int)
  @Min(0)
  toPosition!: number;
}

@InputType({ description: "This story's caption (max 4000; null falls back to the photo's), role and anchor paragraph" })
export class UpdateStoryPhotoInput extends WithEditorialNote(Object) {
  @Field(() => ID)
  storyPhotoId!: string;

  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(CAPTION_MAX)
  caption?: string | null;

  @Field(() => PhotoRole, { nullable: true })
  role?: PhotoRole | null;

  @Field(() => ID, { nullable: true })
  paragraphId?: string | null;
}
