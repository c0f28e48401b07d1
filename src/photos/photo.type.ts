import { DateResolver, DateTimeResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { PhotoRole } from "../graphql/enums.js";

@ObjectType("Photo", { description: "A photo and its caption as newsroom data; the image is at url, or in renditions once uploaded" })
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

  @Field(() => DateResolver, { nullable: true, description: "For a file photo, the day it was first taken, as its caption gives it" })
  originalDate!: Date | null;

  @Field(() => Int, { nullable: true, description: "Of an uploaded original, upright; null for a photo typed in by hand" })
  width!: number | null;

  @Field(() => Int, { nullable: true })
  height!: number | null;

  @Field(() => String, { nullable: true, description: "The photographer, as an uploaded file's IPTC/XMP names them" })
  creator!: string | null;

  @Field(() => String, { nullable: true, description: "As an uploaded file's IPTC/XMP gives it" })
  copyrightNotice!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType("PhotoRendition", { description: "A web size of an uploaded photo, in one format; its href never serves other bytes" })
export class PhotoRenditionType {
  @Field(() => String, { description: 'Size class and format, e.g. "small-webp", "large-jpeg"' })
  name!: string;

  @Field(() => String, { description: "Relative to the API's origin: /media/renditions/<sha256>/<name>.<ext>" })
  href!: string;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => String, { description: "image/webp or image/jpeg" })
  contentType!: string;

  @Field(() => Int)
  sizeInBytes!: number;
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
