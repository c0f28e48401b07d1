import type { ApolloServerPlugin } from "@apollo/server";
import { getNullableType, isListType, type GraphQLSchema } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { badInput, toGraphQLError } from "../errors.js";
import { DEFAULT_PAGE_SIZE } from "../pagination.js";

/** What a page of stories with their paragraphs, photos, quotes and sources costs, with room to spare. */
export const MAX_QUERY_COST = 25_000;
/** Lists without paging (a story's paragraphs, a source's attributions) are costed at this size. */
const ASSUMED_LIST_SIZE = 10;

/**
 * A field costs one, plus its selection once per item it can return: `first` items for a
 * connection, a typical size for a plain list. Nested lists multiply, which is the point.
 */
const listAwareEstimator: ComplexityEstimator = ({ args, childComplexity, field, type }) => {
  if (field.args.some((arg) => arg.name === "first")) {
    const first = typeof args.first === "number" ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + childComplexity * Math.max(first, 1);
  }
  // A connection's edges are the `first` items its field was already charged for.
  const isPagedList = type.name.endsWith("Connection");
  return 1 + childComplexity * (isListType(getNullableType(field.type)) && !isPagedList ? ASSUMED_LIST_SIZE : 1);
};

export function queryCostLimit(schema: GraphQLSchema, maxCost = MAX_QUERY_COST): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operationName }) {
          const cost = getComplexity({
            schema,
            query: document,
            operationName: operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [listAwareEstimator],
          });
          if (cost > maxCost) {
            throw toGraphQLError(badInput("query", `The query would cost ${cost}, over the limit of ${maxCost}: ask for fewer items or fewer nested lists`, {
              reason: "QUERY_TOO_COSTLY",
              cost,
              maxCost,
            }), 400);
          }
        },
      };
    },
  };
}
