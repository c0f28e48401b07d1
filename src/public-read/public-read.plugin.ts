import { HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest } from "@apollo/server";
import type { DocumentNode, GraphQLSchema } from "graphql";
import type { RequestContext } from "../context/request-context.js";
import type { AnswerFacts } from "../response-cache/answer-facts.js";
import { planOperation } from "./public-read.plan.js";
import { statementRunnerOf } from "../db/client.js";
import { asAppError } from "../errors.js";
import { bindPublicRead, readPublicPage, type PublicPage, type PublicReadPlan } from "./public-read.service.js";

export interface PublicReadOptions {
  /** The response cache's facts about a request it may store, to learn which stories the answer holds. */
  factsOf?: (http: HTTPGraphQLRequest | undefined) => AnswerFacts | undefined;
  /** Told which plan answers a request, for the lane to learn its query from the answer. */
  planned?: (http: HTTPGraphQLRequest | undefined, plan: PublicReadPlan) => void;
}

/**
 * Answers the public's story and front pages in one statement whose JSON PostgreSQL builds,
 * instead of executing resolvers over Prisma's rows: the request has been parsed, validated and
 * passed every limit by then, and anything the plan does not cover is executed as always.
 */
export function publicReadPlugin(schema: GraphQLSchema, options: PublicReadOptions = {}): ApolloServerPlugin<RequestContext> {
  // Apollo keeps one parsed document per query text, so a plan is made once per query and operation.
  const plans = new WeakMap<DocumentNode, Map<string, PublicReadPlan | null>>();
  const planOf = (document: DocumentNode, operationName: string | null | undefined) => {
    let byOperation = plans.get(document);
    if (!byOperation) plans.set(document, (byOperation = new Map()));
    const name = operationName ?? "";
    if (!byOperation.has(name)) byOperation.set(name, planOperation(schema, document, operationName));
    return byOperation.get(name)!;
  };

  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.viewer !== null) return;
      return {
        async responseForOperation({ document, operationName, request }) {
          const plan = planOf(document, operationName);
          if (!plan) return null;
          const bound = bindPublicRead(plan, request.variables ?? {});
          if (!bound) return null;
          let page: PublicPage;
          try {
            page = await readPublicPage(statementRunnerOf(contextValue.db), bound);
          } catch (error) {
            // The resolvers answer instead, with the error their way (503 while the database is
            // away). Any other failure here is this path's own fault, and the log says so.
            if (asAppError(error)?.code !== "SERVICE_UNAVAILABLE")
              contextValue.log.error({ err: error }, "public read in one statement failed; the resolvers answered");
            return null;
          }
          options.planned?.(request.http, plan);
          const facts = options.factsOf?.(request.http);
          if (facts) {
            for (const id of page.storyIds) facts.storyIds.add(id);
            facts.dependsOnAllStories ||= page.dependsOnAllStories;
          }
          return {
            http: { headers: new HeaderMap(), status: undefined },
            body: { kind: "single", singleResult: { data: JSON.parse(page.dataText) } },
          };
        },
      };
    },
  };
}
