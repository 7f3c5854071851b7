import {
  getOperationAST,
  isIntrospectionType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';

/**
 * The schema coordinates (`Type.field`) the chosen operation of `document` selects in `schema`,
 * through fragments and inline fragments, deduplicated, in document order. A field selected on an
 * interface is the interface's coordinate; `__typename` and introspection are left out. An unknown
 * or ambiguous `operationName` selects nothing.
 */
export function fieldsUsed(schema: GraphQLSchema, document: DocumentNode, operationName?: string): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const typeInfo = new TypeInfo(schema);
  const fields = new Set<string>();
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      // Introspection (__schema, __type, __typename) describes the schema, not the data: none of it, nor below it.
      if (node.name.value.startsWith('__') || !parent || isIntrospectionType(parent)) return false;
      // A field the schema does not define (a document that was not validated against it).
      if (!typeInfo.getFieldDef()) return false;
      fields.add(`${parent.name}.${node.name.value}`);
      return undefined;
    },
  });
  // Only the operation and the fragments it reaches: another operation's fragments are not used by this one.
  for (const definition of [operation, ...reachableFragments(document, operation)]) visit(definition, visitor);
  return [...fields];
}

/** The fragment definitions `root` spreads, directly or through other fragments; each once, cycles included. */
function reachableFragments(document: DocumentNode, root: DefinitionNode): FragmentDefinitionNode[] {
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) byName.set(definition.name.value, definition);
  }
  const reached = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [root];
  for (let next = pending.pop(); next; next = pending.pop()) {
    visit(next, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = byName.get(name);
        if (!fragment || reached.has(name)) return;
        reached.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...reached.values()];
}
