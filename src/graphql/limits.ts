import type { ApolloServerPlugin } from "@apollo/server";
import { getNullableType, isListType, visit, type DocumentNode, type GraphQLSchema } from "graphql";
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

/** Where a NUL character hides in the variables; PostgreSQL can neither store nor compare one. */
function nulCharacterAt(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (Array.isArray(value)) return value.map((item, i) => nulCharacterAt(item, `${path}[${i}]`)).find(Boolean);
  if (value && typeof value === "object") {
    return Object.entries(value)
      .map(([key, item]) => nulCharacterAt(item, path ? `${path}.${key}` : key))
      .find(Boolean);
  }
  return undefined;
}

function rejectNulCharacters(document: DocumentNode, variables: Record<string, unknown>): void {
  let inQuery = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes("\u0000")) inQuery = true;
    },
  });
  const field = inQuery ? "query" : nulCharacterAt(variables, "");
  if (field) throw toGraphQLError(badInput(field, `${field} contains a NUL character, which text cannot hold`), 400);
}

export function queryCostLimit(schema: GraphQLSchema, maxCost = MAX_QUERY_COST): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operationName }) {
          rejectNulCharacters(document, request.variables ?? {});
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [listAwareEstimator],
            });
          } catch {
            // Variables that do not fit their types: GraphQL's own coercion reports them, by name, next.
            return;
          }
          if (cost > maxCost) {
            throw toGraphQLError(
              badInput("query", `The query would cost ${cost}, over the limit of ${maxCost}: ask for fewer items or fewer nested lists`, {
                reason: "QUERY_TOO_COSTLY",
                cost,
                maxCost,
              }),
              400,
            );
          }
        },
      };
    },
  };
}
