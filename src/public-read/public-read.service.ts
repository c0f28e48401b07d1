import type { OperationContext } from "../context/operation-context.js";
import { isUuid } from "../db/ids.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../db/pagination.js";
import { SLUG_MAX_LENGTH } from "../stories/story.rules.js";
import {
  publicFrontPageStatement,
  publicStoryStatement,
  statementValues,
  type PublicReadStatement,
  type SelectedField,
} from "./public-read.sql.js";

/** An argument as the operation gives it: written in the query, or a variable's name. */
export type ArgumentValue = { literal: unknown } | { variable: string };

/** What a connection of stories selects: edges with their node, and type names. */
export interface ConnectionSelection {
  typename: string;
  fields: { key: string; name: "edges" | "__typename" }[];
  edge: { typename: string; fields: { key: string; name: "node" | "__typename" }[] };
  node: SelectedField[];
}

/**
 * A public query that one statement answers (public-read.plan.ts makes it from the operation):
 * `story(slug: …)` or `story(id: …)`, or the front page, `stories(first: …) { edges { node } }`,
 * with fields that public-read.sql.ts can build.
 */
export type PublicReadPlan =
  | { root: "story"; key: string; by: { slug: ArgumentValue } | { id: ArgumentValue }; selection: SelectedField[] }
  | { root: "stories"; key: string; first?: ArgumentValue; connection: ConnectionSelection };

/** The answer's data, and the stories it holds (for the response cache and the CDN's Surrogate-Key). */
export interface PublicPage {
  data: Record<string, unknown>;
  storyIds: string[];
  /** A list, or a story not found: any story's change may change it. */
  dependsOnAllStories: boolean;
}

const valueOf = (argument: ArgumentValue, variables: Record<string, unknown>) =>
  "literal" in argument ? argument.literal : variables[argument.variable];

/**
 * Reads the page in one statement. Undefined for arguments this path leaves to the resolvers,
 * which answer them with their own errors (a page size out of range, a slug too long) or results
 * (null for an id that is no UUID).
 */
export async function readPublicPage(
  ctx: OperationContext,
  plan: PublicReadPlan,
  variables: Record<string, unknown>,
): Promise<PublicPage | undefined> {
  let argument: unknown;
  if (plan.root === "story") {
    argument = valueOf("slug" in plan.by ? plan.by.slug : plan.by.id, variables);
    if (typeof argument !== "string" || ("slug" in plan.by ? argument.length > SLUG_MAX_LENGTH : !isUuid(argument))) return undefined;
  } else {
    const first = plan.first === undefined ? undefined : valueOf(plan.first, variables);
    if (first != null && !(Number.isInteger(first) && (first as number) >= 0 && (first as number) <= MAX_PAGE_SIZE)) return undefined;
    argument = first ?? DEFAULT_PAGE_SIZE;
  }
  const statement = statementOf(plan);
  const rows = await ctx.db.$queryRawUnsafe<{ id: string; node: string }[]>(
    statement.text,
    ...statementValues(statement, new Date(), argument),
  );
  if (plan.root === "story") {
    const [row] = rows;
    return { data: { [plan.key]: row ? JSON.parse(row.node) : null }, storyIds: row ? [row.id] : [], dependsOnAllStories: !row };
  }
  return { data: { [plan.key]: connectionOf(plan.connection, rows) }, storyIds: rows.map((row) => row.id), dependsOnAllStories: true };
}

/** Each plan's statement, made on its first request. */
const statements = new WeakMap<PublicReadPlan, PublicReadStatement>();

function statementOf(plan: PublicReadPlan): PublicReadStatement {
  let statement = statements.get(plan);
  if (!statement) {
    statement =
      plan.root === "story"
        ? publicStoryStatement("slug" in plan.by ? "slug" : "id", plan.selection)
        : publicFrontPageStatement(plan.connection.node);
    statements.set(plan, statement);
  }
  return statement;
}

/** The connection object as the resolvers give it, keys in the order of the selection. */
function connectionOf(selection: ConnectionSelection, rows: { node: string }[]): Record<string, unknown> {
  const edgeOf = (row: { node: string }) =>
    Object.fromEntries(
      selection.edge.fields.map(({ key, name }) => [key, name === "node" ? JSON.parse(row.node) : selection.edge.typename]),
    );
  return Object.fromEntries(selection.fields.map(({ key, name }) => [key, name === "edges" ? rows.map(edgeOf) : selection.typename]));
}
