import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from "graphql";

/** The root fields that describe the schema rather than read data. */
const INTROSPECTION_FIELDS = new Set(["__schema", "__type", "__typename"]);

/**
 * Whether the document is introspection and nothing else: every operation in it selects only
 * __schema, __type and __typename at its root, directly or through fragments. One data field
 * anywhere at the root, in any operation of the document, and it is not.
 */
export function isPureIntrospection(document: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  // A spread of a fragment already on the path is a cycle, which validation refuses anyway; it
  // must not loop here, since this runs during validation.
  const onlyIntrospection = (selectionSet: SelectionSetNode, spreading: ReadonlySet<string>): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return INTROSPECTION_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return onlyIntrospection(selection.selectionSet, spreading);
      const name = selection.name.value;
      const fragment = fragments.get(name);
      return fragment !== undefined && !spreading.has(name) && onlyIntrospection(fragment.selectionSet, new Set([...spreading, name]));
    });
  return operations.length > 0 && operations.every((operation) => onlyIntrospection(operation.selectionSet, new Set()));
}

/** The rule, except for documents that are pure introspection, which it lets through unchecked. */
export function exceptPureIntrospection(rule: ValidationRule): ValidationRule {
  return (context) => (isPureIntrospection(context.getDocument()) ? {} : rule(context));
}
