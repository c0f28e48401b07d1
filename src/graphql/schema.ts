import "reflect-metadata";
import { buildSchema } from "type-graphql";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { AttributionResolver } from "../attributions/attribution.resolver.js";
import { PhotoResolver, StoryPhotoResolver } from "../photos/photo.resolver.js";
import { SourceResolver } from "../sources/source.resolver.js";
import { StoryAuditResolver, StoryEventResolver, StoryRevisionResolver } from "../audit/audit.resolver.js";
import { BylineResolver, StoryResolver } from "../stories/story.resolver.js";
import { StorySyndicationResolver } from "../syndication/syndication.resolver.js";
import { UserResolver } from "../users/user.resolver.js";
import { WireResolver } from "../wire/wire.resolver.js";
import { validateArgument } from "./validation.js";

export const resolvers = [
  StoryResolver,
  BylineResolver,
  StoryAuditResolver,
  StorySyndicationResolver,
  StoryRevisionResolver,
  StoryEventResolver,
  PhotoResolver,
  StoryPhotoResolver,
  SourceResolver,
  AttributionResolver,
  UserResolver,
  WireResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every request and server in a process, so it is built once. */
export function newsroomSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    validateFn: validateArgument,
  });
  return built;
}

export async function printNewsroomSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await newsroomSchema()))}\n`;
}
