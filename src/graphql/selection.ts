import type { GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";

/** The fields a query selects below a field, by field name, with aliases, fragments and @skip/@include folded in. */
export interface FieldTree {
  [field: string]: FieldTree;
}

function treeOf(field: ResolveTree): FieldTree {
  const tree: FieldTree = {};
  for (const fields of Object.values(field.fieldsByTypeName)) {
    for (const child of Object.values(fields)) merge(tree, child.name, treeOf(child));
  }
  return tree;
}

/** The same field under two aliases reads what either selects. */
function merge(tree: FieldTree, name: string, subtree: FieldTree): void {
  const existing = tree[name];
  if (!existing) {
    tree[name] = subtree;
    return;
  }
  for (const [child, grandchildren] of Object.entries(subtree)) merge(existing, child, grandchildren);
}

/** What the query selects below the field being resolved, so that a read can load it in the same statement. */
export function selectedFields(info: GraphQLResolveInfo): FieldTree {
  const field = parseResolveInfo(info) as ResolveTree | null | undefined;
  return field ? treeOf(field) : {};
}
