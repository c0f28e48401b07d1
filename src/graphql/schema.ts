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
import { LiveResolver } from "../live/live.resolver.js";
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
  LiveResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every request and server in a process, so it is built once. */
export function newsroomSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    validateFn: validateArgument,
    // Every subscription here brings its own `subscribe` over the story-event feed (src/live/), but
    // type-graphql asks for a pub/sub whenever a schema has subscriptions: this one is never used.
    pubSub: {
      publish: () => {
        throw new Error("Subscriptions publish through the database's audit trail, not a pub/sub");
      },
      subscribe: () => {
        throw new Error("Every subscription declares its own subscribe function");
      },
    },
  });
  return built;
}

export async function printNewsroomSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await newsroomSchema()))}\n`;
}
