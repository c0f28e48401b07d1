import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { StoryPayload, StoryType, ParagraphType } from "../stories/story.type.js";
import { AttachPhotoInput, DetachPhotoInput, MovePhotoInput, PhotoInput, UpdateStoryPhotoInput } from "./photo.inputs.js";
import * as photos from "./photo.service.js";
import { PhotoPayload, PhotoRenditionType, PhotoType, StoryPhotoType } from "./photo.type.js";

@Resolver(() => PhotoType)
export class PhotoResolver {
  @Query(() => PhotoType, { nullable: true, description: "The public sees photos of published stories only" })
  @Access("PUBLIC")
  photo(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return photos.findPhoto(ctx, id);
  }

  @FieldResolver(() => [StoryType], { description: "The stories that use this photo and that you may read" })
  stories(
    @Root() photo: PhotoType,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 50 when left out" }) first?: number,
  ) {
    return photos.storiesOfPhoto(ctx, photo.id, first);
  }

  @FieldResolver(() => [PhotoRenditionType], {
    description: "Web sizes of an uploaded photo, narrowest first, WebP and JPEG of each; none for a photo typed in by hand",
  })
  renditions(@Root() photo: PhotoType, @Ctx() ctx: RequestContext) {
    return photos.renditionsOfPhoto(ctx, photo.id);
  }

  @Mutation(() => PhotoPayload)
  @Access("REPORTER")
  async createPhoto(@Ctx() ctx: RequestContext, @Arg("input", () => PhotoInput) input: PhotoInput) {
    return { photo: await photos.createPhoto(ctx, input) };
  }

  @Mutation(() => PhotoPayload, { description: "Changes the photo, and its caption wherever a story has none of its own" })
  @Access("REPORTER")
  async updatePhoto(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string, @Arg("input", () => PhotoInput) input: PhotoInput) {
    return { photo: await photos.updatePhoto(ctx, id, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async attachPhoto(@Ctx() ctx: RequestContext, @Arg("input", () => AttachPhotoInput) input: AttachPhotoInput) {
    return { story: await photos.attachPhoto(ctx, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async detachPhoto(@Ctx() ctx: RequestContext, @Arg("input", () => DetachPhotoInput) input: DetachPhotoInput) {
    return { story: await photos.detachPhoto(ctx, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async movePhoto(@Ctx() ctx: RequestContext, @Arg("input", () => MovePhotoInput) input: MovePhotoInput) {
    return { story: await photos.movePhoto(ctx, input) };
  }

  @Mutation(() => StoryPayload)
  @Access("REPORTER")
  async updateStoryPhoto(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateStoryPhotoInput) input: UpdateStoryPhotoInput) {
    return { story: await photos.updateStoryPhoto(ctx, input) };
  }
}

@Resolver(() => StoryPhotoType)
export class StoryPhotoResolver {
  @FieldResolver(() => ParagraphType, { nullable: true })
  paragraph(@Root() placement: photos.Placement, @Ctx() ctx: RequestContext) {
    return photos.paragraphOfPlacement(ctx, placement);
  }
}
