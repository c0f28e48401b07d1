import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { PhotoRole } from "../graphql/enums.js";

@ObjectType("Photo", { description: "A photo and its caption as newsroom data; the image itself is at url" })
export class PhotoType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => String, { nullable: true })
  caption!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "AP Photo/Hadi Mizban"' })
  credit!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was taken; for a file photo, its original date" })
  takenAt!: Date | null;

  @Field(() => String, { nullable: true })
  location!: string | null;

  @Field(() => Boolean, { description: "An archive picture reused with later news" })
  isFilePhoto!: boolean;

  @Field(() => String, { nullable: true })
  altText!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType("StoryPhoto", { description: "A photo as placed in one story" })
export class StoryPhotoType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  position!: number;

  @Field(() => PhotoRole)
  role!: PhotoRole;

  @Field(() => String, { nullable: true, description: "The story-specific caption, or the photo's own" })
  caption!: string | null;

  @Field(() => String, { nullable: true, description: "Set only when this story overrides the photo's caption" })
  storyCaption!: string | null;

  @Field(() => String, { nullable: true })
  credit!: string | null;

  @Field(() => PhotoType)
  photo!: PhotoType;

  storyId!: string;
  photoId!: string;
  paragraphId!: string | null;
}

@ObjectType()
export class PhotoPayload {
  @Field(() => PhotoType, { nullable: true })
  photo!: PhotoType | null;
}
