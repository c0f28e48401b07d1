import type { ApolloServerPlugin, HTTPGraphQLRequest } from "@apollo/server";
import { getNamedType, isLeafType, type GraphQLResolveInfo } from "graphql";
import type { RequestContext } from "../context/request-context.js";

/** What running a request taught about its answer, for the cache to decide whether and how to store it. */
export interface AnswerFacts {
  /** A query, asked without a token, answered without errors: nothing in it is hidden from the public. */
  cacheable: boolean;
  /** Every story the answer holds content of. */
  storyIds: Set<string>;
  /** Whether a change to a story not in the answer can change it (see isStoryBound). */
  dependsOnAllStories: boolean;
}

export const newAnswerFacts = (): AnswerFacts => ({ cacheable: false, storyIds: new Set(), dependsOnAllStories: false });

/**
 * Fields of objects whose value, for the public, changes only with the story of their parent (the
 * triggers notify that story): a story's paragraphs, photos and quotes, and the photo, paragraph,
 * source and story of those; and the staff-only ones, always null for the public. A source's
 * attributions or a photo's stories can gain items from another story, as can any list at the root.
 */
const STORY_BOUND_FIELDS = new Set([
  "Story.paragraphs",
  "Story.photos",
  "Story.leadPhoto",
  "Story.attributions",
  "Story.sources",
  "Story.history",
  "StoryPhoto.photo",
  "StoryPhoto.paragraph",
  "Attribution.source",
  "Attribution.paragraph",
  "Attribution.story",
  "Source.identityKnownBy",
]);

/**
 * Whether changes to the stories in the answer are all that can change this field's value: a
 * field of plain values goes with its object; a field of objects only when it is listed above.
 * New fields of objects count as depending on every story until they are listed, which costs
 * cache hits, never correctness.
 */
function isStoryBound(info: GraphQLResolveInfo): boolean {
  return isLeafType(getNamedType(info.returnType)) || STORY_BOUND_FIELDS.has(`${info.parentType.name}.${info.fieldName}`);
}

/**
 * Learns the facts of the requests the cache may store (those factsOf gives facts to fill): whether
 * the operation is a public query answered without errors, which stories its answer holds, and
 * whether it depends only on those. An answer that holds only stories looked up by id or slug is
 * dropped when one of them changes; any other (a list, a search, a story not found, which
 * publishing may make appear) whenever any story changes.
 */
export function answerFactsPlugin(
  factsOf: (http: HTTPGraphQLRequest | undefined) => AnswerFacts | undefined,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const facts = factsOf(request.http);
      if (!facts) return;
      let isQuery = false;
      return {
        async didResolveOperation({ operation }) {
          isQuery = operation?.operation === "query";
        },
        async executionDidStart() {
          return {
            willResolveField({ source, info }) {
              if (info.parentType.name === "Story") facts.storyIds.add((source as { id: string }).id);
              if (facts.dependsOnAllStories) return;
              if (info.path.prev !== undefined) {
                if (!isStoryBound(info)) facts.dependsOnAllStories = true;
              } else if (info.fieldName !== "story") {
                facts.dependsOnAllStories = true;
              } else {
                // Recorded here too, in case none of its fields but __typename is asked for. A story
                // not found now may be published later.
                return (_error, story) => {
                  if (story == null) facts.dependsOnAllStories = true;
                  else facts.storyIds.add((story as { id: string }).id);
                };
              }
            },
          };
        },
        async willSendResponse({ response }) {
          facts.cacheable =
            isQuery && contextValue.viewer === null && response.body.kind === "single" && !response.body.singleResult.errors?.length;
        },
      };
    },
  };
}
