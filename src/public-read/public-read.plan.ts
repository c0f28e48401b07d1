import {
  getNamedType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { ArgumentValue, ConnectionSelection, PublicReadPlan } from "./public-read.service.js";
import { publicFieldOf, type PublicTypeName, type SelectedField } from "./public-read.sql.js";

/**
 * Which operations one statement answers for the public: a query of one root field, `story` by
 * slug or id, or `stories` with at most `first`, selecting `edges { node }`, whose fields are all
 * in public-read.sql.ts; no fragments, directives, field arguments or repeated keys. Anything
 * else (null) is executed by the resolvers as always: this path is only ever a shortcut.
 */
export function planOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): PublicReadPlan | null {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (document.definitions.length !== operations.length) return null;
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations[0];
  if (!operation || (!operationName && operations.length !== 1) || !isPlainQuery(operation)) return null;
  const [root, ...others] = operation.selectionSet.selections;
  if (!root || others.length || root.kind !== Kind.FIELD || root.directives?.length) return null;
  const key = root.alias?.value ?? root.name.value;
  const args = argumentsOf(root);
  if (!args || !root.selectionSet) return null;

  if (root.name.value === "story") {
    const { slug, id, ...rest } = args;
    if (Object.keys(rest).length || (slug === undefined) === (id === undefined)) return null;
    const selection = selectionOf(schema, "Story", root.selectionSet);
    if (!selection) return null;
    return { root: "story", key, by: slug ? { slug } : { id: id! }, selection };
  }
  if (root.name.value === "stories") {
    const { first, ...rest } = args;
    if (Object.keys(rest).length) return null;
    const connection = connectionOf(schema, root.selectionSet);
    return connection && { root: "stories", key, first, connection };
  }
  return null;
}

/** A query without variable defaults: a variable's value is then exactly what the request gives. */
function isPlainQuery(operation: OperationDefinitionNode): boolean {
  return (
    operation.operation === "query" &&
    !operation.directives?.length &&
    (operation.variableDefinitions ?? []).every((definition) => !definition.defaultValue && !definition.directives?.length)
  );
}

function argumentsOf(field: FieldNode): Record<string, ArgumentValue> | null {
  const args: Record<string, ArgumentValue> = {};
  for (const argument of field.arguments ?? []) {
    const value = argumentValue(argument.value);
    if (!value) return null;
    args[argument.name.value] = value;
  }
  return args;
}

function argumentValue(node: ValueNode): ArgumentValue | null {
  switch (node.kind) {
    case Kind.VARIABLE:
      return { variable: node.name.value };
    case Kind.STRING:
      return { literal: node.value };
    case Kind.INT:
      return { literal: Number(node.value) };
    case Kind.NULL:
      return { literal: null };
    default:
      return null;
  }
}

/** The plain fields of a selection, each once, without arguments or directives; null if it has anything else. */
function plainFields(selectionSet: SelectionSetNode): FieldNode[] | null {
  const keys = new Set<string>();
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.arguments?.length || selection.directives?.length) return null;
    const key = selection.alias?.value ?? selection.name.value;
    if (keys.has(key)) return null;
    keys.add(key);
    fields.push(selection);
  }
  return fields;
}

function selectionOf(schema: GraphQLSchema, type: PublicTypeName, selectionSet: SelectionSetNode): SelectedField[] | null {
  const fields = plainFields(selectionSet);
  if (!fields) return null;
  const selected: SelectedField[] = [];
  for (const field of fields) {
    const name = field.name.value;
    const key = field.alias?.value ?? name;
    if (name === "__typename") {
      if (field.selectionSet) return null;
      selected.push({ key, name });
      continue;
    }
    const known = publicFieldOf(type, name);
    const inSchema = schema.getType(type);
    const schemaField = inSchema && "getFields" in inSchema ? inSchema.getFields()[name] : undefined;
    if (!known || !schemaField) return null;
    if (known.of) {
      // The table and the schema must agree on what the field holds, or the table is out of date.
      if (getNamedType(schemaField.type).name !== known.of || !field.selectionSet) return null;
      const nested = selectionOf(schema, known.of, field.selectionSet);
      if (!nested) return null;
      selected.push({ key, name, selection: nested });
    } else {
      if (field.selectionSet) return null;
      selected.push({ key, name });
    }
  }
  return selected;
}

/** `{ edges { node { … } } }`, with __typename anywhere in it. */
function connectionOf(schema: GraphQLSchema, selectionSet: SelectionSetNode): ConnectionSelection | null {
  const storiesField = schema.getQueryType()?.getFields().stories;
  const connectionType = storiesField && getNamedType(storiesField.type);
  const edgesField = connectionType && "getFields" in connectionType ? connectionType.getFields().edges : undefined;
  const edgeType = edgesField && getNamedType(edgesField.type);
  if (!connectionType || !edgeType) return null;

  const fields = plainFields(selectionSet);
  const edges = fields?.filter((field) => field.name.value === "edges");
  if (!fields || edges?.length !== 1 || fields.some((field) => !["edges", "__typename"].includes(field.name.value))) return null;
  const edgeFields = edges[0]!.selectionSet && plainFields(edges[0]!.selectionSet);
  const nodes = edgeFields?.filter((field) => field.name.value === "node");
  if (!edgeFields || nodes?.length !== 1 || edgeFields.some((field) => !["node", "__typename"].includes(field.name.value))) return null;
  const node = nodes[0]!.selectionSet && selectionOf(schema, "Story", nodes[0]!.selectionSet);
  if (!node) return null;
  const keyed = <Name extends string>(field: FieldNode) => ({
    key: field.alias?.value ?? field.name.value,
    name: field.name.value as Name,
  });
  return {
    typename: connectionType.name,
    fields: fields.map(keyed<"edges" | "__typename">),
    edge: { typename: edgeType.name, fields: edgeFields.map(keyed<"node" | "__typename">) },
    node,
  };
}
