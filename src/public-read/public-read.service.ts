import type { OperationContext } from "../context/operation-context.js";
import { isUuid } from "../db/ids.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../db/pagination.js";
import { SLUG_MAX_LENGTH } from "../stories/story.rules.js";
import { publicFrontPageSql, publicStorySql, type SelectedField } from "./public-read.sql.js";

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
  const now = new Date();
  if (plan.root === "story") {
    let by: { slug: string } | { id: string };
    if ("slug" in plan.by) {
      const slug = valueOf(plan.by.slug, variables);
      if (typeof slug !== "string" || slug.length > SLUG_MAX_LENGTH) return undefined;
      by = { slug };
    } else {
      const id = valueOf(plan.by.id, variables);
      if (typeof id !== "string" || !isUuid(id)) return undefined;
      by = { id };
    }
    const [row] = await ctx.db.$queryRaw<{ id: string; node: string }[]>(publicStorySql(by, plan.selection, now));
    return {
      data: { [plan.key]: row ? JSON.parse(row.node) : null },
      storyIds: row ? [row.id] : [],
      dependsOnAllStories: !row,
    };
  }
  const first = plan.first === undefined ? undefined : valueOf(plan.first, variables);
  if (first != null && !(Number.isInteger(first) && (first as number) >= 0 && (first as number) <= MAX_PAGE_SIZE)) return undefined;
  const size = (first as number | null | undefined) ?? DEFAULT_PAGE_SIZE;
  const rows = await ctx.db.$queryRaw<{ id: string; node: string }[]>(publicFrontPageSql(size, plan.connection.node, now));
  return {
    data: { [plan.key]: connectionOf(plan.connection, rows) },
    storyIds: rows.map((row) => row.id),
    dependsOnAllStories: true,
  };
}

/** The connection object as the resolvers give it, keys in the order of the selection. */
function connectionOf(selection: ConnectionSelection, rows: { node: string }[]): Record<string, unknown> {
  const edgeOf = (row: { node: string }) =>
    Object.fromEntries(
      selection.edge.fields.map(({ key, name }) => [key, name === "node" ? JSON.parse(row.node) : selection.edge.typename]),
    );
  return Object.fromEntries(selection.fields.map(({ key, name }) => [key, name === "edges" ? rows.map(edgeOf) : selection.typename]));
}
