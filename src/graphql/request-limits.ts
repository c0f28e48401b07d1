import type { ApolloServerPlugin } from "@apollo/server";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  getNullableType,
  isListType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type TypeNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { badInput, toGraphQLError, type AppError } from "../errors.js";
import { DEFAULT_PAGE_SIZE } from "../db/pagination.js";
import { exceptPureIntrospection, isPureIntrospection } from "./introspection.js";

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

/**
 * graphql's parser gives up past this many tokens (parseOptions.maxTokens). It applies to
 * introspection too, unlike the depth and cost limits: GraphiQL's introspection query is 163
 * tokens (184 with every option of graphql's getIntrospectionQuery), far below it, and the parser
 * must refuse a flood of text before anything can tell what the text asks for.
 */
export const MAX_TOKENS = 5000;

/** Fields may nest this deep in a selection: more than any operation of this schema needs. */
export const MAX_DEPTH = 12;

/**
 * The selection depth limit (graphql-armor's rule). graphql-armor leaves __schema out of the count
 * in every query, including one that mixes it with data; here it is counted like any other field,
 * and only a document that is nothing but introspection is exempt, when introspection is on. Such
 * a document cannot recurse without bound: graphql's own MaxIntrospectionDepthRule (among the
 * specified rules Apollo always runs) refuses fields/ofType cycles nested past three levels.
 */
export function depthLimit(options: { exemptIntrospection: boolean }): ValidationRule {
  const rule: ValidationRule = maxDepthRule({
    n: MAX_DEPTH,
    ignoreIntrospection: false,
    // Reported as a validation error, as graphql-armor's Apollo setup does; thrown, it would be a 500.
    propagateOnRejection: false,
    onReject: [(context, error) => (context as ValidationContext).reportError(error)],
  });
  return options.exemptIntrospection ? exceptPureIntrospection(rule) : rule;
}

/**
 * How deeply brackets may nest in a query's text and in its variables: deeper than any operation
 * of this schema needs (selections stop at 12 levels), and far shallower than what would exhaust
 * the call stack of whatever walks them.
 */
export const MAX_NESTING = 32;

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Refuses a query whose brackets nest deeper than MAX_NESTING, before it is parsed. graphql's
 * parser descends recursively and runs out of stack at a thousand or so levels (well within its
 * token limit), before any validation rule, graphql-armor's depth limit among them, can look at
 * the query. This counts with graphql's own lexer, which keeps no stack, up to the parser's token
 * limit; a syntax error ends the count, and the parser reports it.
 */
export function queryTooDeep(query: string): AppError | undefined {
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  try {
    for (let tokens = 0, token = lexer.advance(); token.kind !== TokenKind.EOF && tokens < MAX_TOKENS; tokens++, token = lexer.advance()) {
      if (CLOSING.has(token.kind)) depth -= 1;
      else if (OPENING.has(token.kind) && ++depth > MAX_NESTING) {
        return badInput("query", `The query nests brackets more than ${MAX_NESTING} levels deep`, { reason: "QUERY_TOO_DEEP" });
      }
    }
  } catch {
    // Not lexable: the parser reports where.
  }
  return undefined;
}

/**
 * Refuses variables that text columns cannot hold, naming the first such string by its path
 * ("input.paragraphs[1]"): a NUL character, which PostgreSQL can neither store nor compare, or a
 * lone UTF-16 surrogate, which JSON can escape but no Unicode text contains (left in, it would be
 * stored as U+FFFD). The walk keeps its own stack, and refuses nesting deeper than any input, so
 * that no request can exhaust the call stack with it.
 */
function unstorableVariable(variables: Record<string, unknown>): AppError | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: variables, path: "", depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return badInput(path, `${path} contains a NUL character, which text cannot hold`);
      if (!value.isWellFormed()) return badInput(path, `${path} contains a lone UTF-16 surrogate, which is not Unicode text`);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth === MAX_NESTING) return badInput("variables", `variables are nested more than ${MAX_NESTING} levels deep`);
    // Pushed last to first, so that the first offending string in document order is reported.
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        pending.push({ value: item, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** graphql's lexer already refuses lone surrogates in the query's text; NUL it allows as \u0000. */
function nulInQuery(document: DocumentNode): AppError | undefined {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes("\u0000")) found = true;
    },
  });
  return found ? badInput("query", "query contains a NUL character, which text cannot hold") : undefined;
}

/**
 * Refuses, once the operation is known and before anything runs, what the server cannot take:
 * text the database cannot hold, variables nested too deeply, and queries that cost too much.
 * With exemptIntrospection, a document that is pure introspection is not costed: the estimator
 * charges its lists (types, fields, args) as pages of data, and GraphiQL's schema query would
 * cost about 49,000.
 */
export function requestLimits(schema: GraphQLSchema, options: { exemptIntrospection: boolean; maxCost?: number }): ApolloServerPlugin {
  const { exemptIntrospection, maxCost = MAX_QUERY_COST } = options;
  const costs = new DocumentCosts(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operationName }) {
          const variables = request.variables ?? {};
          const unstorable = unstorableVariable(variables) ?? costs.nulInQuery(document);
          if (unstorable) throw toGraphQLError(unstorable);
          if (exemptIntrospection && costs.isPureIntrospection(document)) return;
          const cost = costs.of(document, operationName, variables);
          // Undefined: variables that do not fit their types; GraphQL's own coercion reports them, by name, next.
          if (cost !== undefined && cost > maxCost) {
            throw toGraphQLError(
              badInput("query", `The query would cost ${cost}, over the limit of ${maxCost}: ask for fewer items or fewer nested lists`, {
                reason: "QUERY_TOO_COSTLY",
                cost,
                maxCost,
              }),
            );
          }
        },
      };
    },
  };
}

/** How many costs of one document are kept, one per distinct set of Int variables (page sizes). */
const COSTS_PER_DOCUMENT = 64;

/**
 * What the limits learn of a document, kept with it. Apollo parses each query text once and hands
 * every request of it the same document, so the walks over it are made once, not per request. A
 * cost depends on the document and on its Int variables alone (the page sizes, `first`): strings
 * and ids never change it.
 */
class DocumentCosts {
  private readonly facts = new WeakMap<
    DocumentNode,
    { nul: AppError | undefined; pureIntrospection: boolean; costs: Map<string, number | undefined> }
  >();

  constructor(private readonly schema: GraphQLSchema) {}

  nulInQuery(document: DocumentNode): AppError | undefined {
    return this.factsOf(document).nul;
  }

  isPureIntrospection(document: DocumentNode): boolean {
    return this.factsOf(document).pureIntrospection;
  }

  of(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): number | undefined {
    const { costs } = this.factsOf(document);
    const key = costKey(document, operationName, variables);
    if (key !== undefined && costs.has(key)) return costs.get(key);
    let cost: number | undefined;
    try {
      cost = getComplexity({
        schema: this.schema,
        query: document,
        operationName: operationName ?? undefined,
        variables,
        estimators: [listAwareEstimator],
      });
    } catch {
      cost = undefined;
    }
    if (key !== undefined && costs.size < COSTS_PER_DOCUMENT) costs.set(key, cost);
    return cost;
  }

  private factsOf(document: DocumentNode) {
    let facts = this.facts.get(document);
    if (!facts) {
      facts = { nul: nulInQuery(document), pureIntrospection: isPureIntrospection(document), costs: new Map() };
      this.facts.set(document, facts);
    }
    return facts;
  }
}

/**
 * The operation and the values of its Int variables, which are all a cost depends on; undefined
 * when the operation is not in the document (Apollo has refused the request by then).
 */
function costKey(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): string | undefined {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation) return undefined;
  const pageSizes = (operation.variableDefinitions ?? [])
    .filter((definition) => namedTypeOf(definition.type) === "Int")
    .map((definition) => variables[definition.variable.name.value] ?? null);
  return JSON.stringify([operationName ?? null, pageSizes]);
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}
