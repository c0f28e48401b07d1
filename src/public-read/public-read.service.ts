import type { StatementRunner } from "../db/client.js";
import { isUuid } from "../db/ids.js";
import { isStorableText } from "../db/column-limits.js";
import { DEFAULT_PAGE_SIZE, isPageSize } from "../db/pagination.js";
import { SLUG_MAX_LENGTH } from "../stories/story.rules.js";
import { publicFrontPageStatement, publicStoryStatement, type PublicReadStatement, type SelectedField } from "./public-read.sql.js";

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
  /** The data as JSON text, exactly as JSON.stringify writes it: the statement builds each story's text. */
  dataText: string;
  storyIds: string[];
  /** A list, or a story not found: any story's change may change it. */
  dependsOnAllStories: boolean;
}

const valueOf = (argument: ArgumentValue, variables: Record<string, unknown>) =>
  "literal" in argument ? argument.literal : variables[argument.variable];

/** A plan with the request's argument, checked: what one statement reads. */
export interface BoundRead {
  plan: PublicReadPlan;
  argument: string | number;
}

/**
 * The plan with the request's argument, or undefined for arguments this path leaves to the
 * resolvers, which answer them with their own errors (a page size out of range, a slug too long)
 * or results (null for an id that is no UUID).
 */
export function bindPublicRead(plan: PublicReadPlan, variables: Record<string, unknown>): BoundRead | undefined {
  if (plan.root === "story") {
    const argument = valueOf("slug" in plan.by ? plan.by.slug : plan.by.id, variables);
    if (typeof argument !== "string" || !isStorableText(argument)) return undefined;
    if ("slug" in plan.by ? argument.length > SLUG_MAX_LENGTH : !isUuid(argument)) return undefined;
    return { plan, argument };
  }
  const first = plan.first === undefined ? undefined : valueOf(plan.first, variables);
  if (first === undefined || first === null) return { plan, argument: DEFAULT_PAGE_SIZE };
  if (!isPageSize(first)) return undefined;
  return { plan, argument: first };
}

/** Reads the page in one statement, on the database the public reads. */
export async function readPublicPage(run: StatementRunner, read: BoundRead): Promise<PublicPage> {
  const { plan, argument } = read;
  const statement = statementOf(read);
  // The statement's columns: the story's id and its JSON text (public-read.sql.ts).
  const rows = (await run(statement.text, statement.takesArgument ? [argument] : [])).map(([id, node]) => ({
    id: id as string,
    node: node as string,
  }));
  // Response keys and type names are GraphQL names: JSON strings as they stand.
  if (plan.root === "story") {
    const [row] = rows;
    return { dataText: `{"${plan.key}":${row?.node ?? "null"}}`, storyIds: row ? [row.id] : [], dependsOnAllStories: !row };
  }
  return {
    dataText: `{"${plan.key}":${connectionText(plan.connection, rows)}}`,
    storyIds: rows.map((row) => row.id),
    dependsOnAllStories: true,
  };
}

/** Each plan's statements, made on first use: one for a story, one per page size for a front page (at most 101). */
const statements = new WeakMap<PublicReadPlan, Map<string | number, PublicReadStatement>>();

function statementOf({ plan, argument }: BoundRead): PublicReadStatement {
  let ofPlan = statements.get(plan);
  if (!ofPlan) statements.set(plan, (ofPlan = new Map()));
  const key = plan.root === "story" ? "story" : argument;
  let statement = ofPlan.get(key);
  if (!statement) {
    statement =
      plan.root === "story"
        ? publicStoryStatement("slug" in plan.by ? "slug" : "id", plan.selection)
        : publicFrontPageStatement(plan.connection.node, argument as number);
    ofPlan.set(key, statement);
  }
  return statement;
}

/** The connection as the resolvers give it, as JSON text, keys in the order of the selection. */
function connectionText(selection: ConnectionSelection, rows: { node: string }[]): string {
  const { edge } = selection;
  const edgeText = (row: { node: string }) =>
    `{${edge.fields.map(({ key, name }) => `"${key}":${name === "node" ? row.node : `"${edge.typename}"`}`).join(",")}}`;
  return `{${selection.fields.map(({ key, name }) => `"${key}":${name === "edges" ? `[${rows.map(edgeText).join(",")}]` : `"${selection.typename}"`}`).join(",")}}`;
}
