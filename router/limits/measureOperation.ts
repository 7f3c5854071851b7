import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** The shape of a GraphQL document, with fragments expanded where they are spread. */
export interface OperationMeasure {
  /** Deepest field nesting (a root field is depth 1). */
  depth: number;
  /** Most fields selected in one selection set (fields merged in from fragments count). */
  breadth: number;
  /** Aliased fields after expansion. */
  aliases: number;
  /** Fields after expansion: what a fragment bomb makes explode. */
  fields: number;
  /** Selects __schema or __type. */
  introspection: boolean;
}

interface SetMeasure extends OperationMeasure {
  /** Fields at this level itself, for the breadth of the set that spreads it. */
  level: number;
}

const EMPTY: SetMeasure = { depth: 0, breadth: 0, aliases: 0, fields: 0, introspection: false, level: 0 };
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Measures every operation of a document without executing or validating it. Each fragment
 * is measured once (memoized), so a fragment bomb costs linear time while its expanded field
 * count is still exact. A fragment cycle counts as empty; validation refuses it later.
 */
export function measureOperation(document: DocumentNode): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, SetMeasure>();
  const visiting = new Set<string>();

  const fragment = (name: string): SetMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || visiting.has(name)) return EMPTY;
    visiting.add(name);
    const result = selectionSet(definition.selectionSet);
    visiting.delete(name);
    measured.set(name, result);
    return result;
  };

  const selectionSet = (set: SelectionSetNode): SetMeasure => {
    const total = { ...EMPTY };
    const add = (part: SetMeasure, nested: boolean) => {
      total.fields += part.fields;
      total.aliases += part.aliases;
      total.introspection ||= part.introspection;
      total.depth = Math.max(total.depth, part.depth + (nested ? 1 : 0));
      total.breadth = Math.max(total.breadth, part.breadth);
      if (!nested) total.level += part.level;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total.level += 1;
        total.fields += 1;
        if (selection.alias) total.aliases += 1;
        if (INTROSPECTION_FIELDS.has(selection.name.value)) total.introspection = true;
        add(selection.selectionSet ? selectionSet(selection.selectionSet) : EMPTY, true);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(selectionSet(selection.selectionSet), false);
      } else {
        add(fragment(selection.name.value), false);
      }
    }
    total.breadth = Math.max(total.breadth, total.level);
    return total;
  };

  const result: OperationMeasure = { depth: 0, breadth: 0, aliases: 0, fields: 0, introspection: false };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const operation = selectionSet(definition.selectionSet);
    result.depth = Math.max(result.depth, operation.depth);
    result.breadth = Math.max(result.breadth, operation.breadth);
    result.aliases = Math.max(result.aliases, operation.aliases);
    result.fields = Math.max(result.fields, operation.fields);
    result.introspection ||= operation.introspection;
  }
  return result;
}
