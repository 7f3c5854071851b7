import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { isComposite, isListType, isObject, namedType } from '../../lib/graphql/schemaTypes.js';
import type { CostDirectives } from './costDirectives.js';

/** How list sizes are estimated where a query does not say (router.yaml `limits`). */
export interface CostSettings {
  /** A list field's assumed size when nothing else tells. */
  defaultListSize: number;
  /** Assumed sizes per `Type.field`, over the default. */
  listSizes: Record<string, number>;
}

/** Arguments that bound a list's size when a field declares none (`@listSize(slicingArguments:)` names them). */
const SLICING_ARGUMENTS = ['first', 'last', 'limit'];
/** Each root mutation field costs this much on its own (it writes). */
const MUTATION_WEIGHT = 10;

/**
 * The estimated cost of an operation, before anything runs, in the demand-control model of
 * Federation's `@cost`/`@listSize`: an object (or interface, union) costs 1, a scalar 0, `@cost`
 * overrides; a list multiplies its items' cost by its size, which comes from a slicing argument
 * (`first`, `limit`... or those `@listSize` names), `@listSize(assumedSize:)`, the configured
 * size of the field, or the default. Without a schema (a brokered call to a subgraph), every
 * field with a selection counts as a list of the default size, `_entities` as its representations.
 */
export function estimateCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema | undefined,
  variables: Record<string, unknown>,
  settings: CostSettings,
  directives: CostDirectives = { weights: new Map(), listSizes: new Map() },
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const argument = (node: FieldNode, name: string): unknown => {
    const arg = node.arguments?.find((candidate) => candidate.name.value === name);
    return arg ? literal(arg.value, variables) : undefined;
  };

  const listSize = (node: FieldNode, coordinate: string, field: GraphQLField<unknown, unknown> | undefined): number => {
    const declared = directives.listSizes.get(coordinate);
    for (const name of declared?.slicingArguments ?? SLICING_ARGUMENTS) {
      const value = argument(node, name) ?? field?.args.find((arg) => arg.name === name)?.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    }
    if (node.name.value === '_entities') {
      const representations = argument(node, 'representations');
      if (Array.isArray(representations)) return representations.length;
    }
    return declared?.assumedSize ?? settings.listSizes[coordinate] ?? settings.defaultListSize;
  };

  const selectionCost = (set: SelectionSetNode, typeName: string | undefined, visiting: Set<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, typeName, visiting);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += selectionCost(selection.selectionSet, selection.typeCondition?.name.value ?? typeName, visiting);
      else {
        const fragment = fragments.get(selection.name.value);
        // A fragment cycle is refused by validation; here it just stops.
        if (!fragment || visiting.has(fragment.name.value)) continue;
        visiting.add(fragment.name.value);
        total += selectionCost(fragment.selectionSet, fragment.typeCondition.name.value, visiting);
        visiting.delete(fragment.name.value);
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, typeName: string | undefined, visiting: Set<string>): number => {
    if (node.name.value.startsWith('__')) return 0;
    const parent = typeName ? schema?.getType(typeName) : undefined;
    const field = isObject(parent) || (parent && 'getFields' in parent) ? (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[node.name.value] : undefined;
    const coordinate = `${typeName ?? '?'}.${node.name.value}`;
    const composite = field ? isComposite(namedType(field.type)) : node.selectionSet !== undefined;
    const list = field ? isListType(field.type) : node.selectionSet !== undefined;
    const weight = directives.weights.get(coordinate) ?? (composite ? 1 : 0);
    const children = node.selectionSet ? selectionCost(node.selectionSet, field ? namedType(field.type).name : undefined, visiting) : 0;
    return (list ? listSize(node, coordinate, field) : 1) * (weight + children);
  };

  const root = operation.operation === 'mutation' ? schema?.getMutationType() : operation.operation === 'subscription' ? schema?.getSubscriptionType() : schema?.getQueryType();
  let cost = selectionCost(operation.selectionSet, root?.name ?? (schema ? undefined : 'Query'), new Set());
  if (operation.operation === 'mutation') cost += MUTATION_WEIGHT * operation.selectionSet.selections.length;
  return cost;
}

/** A literal or variable argument value, as plain JSON. */
function literal(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return Object.hasOwn(variables, node.name.value) ? variables[node.name.value] : undefined;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((value) => literal(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literal(field.value, variables)]));
    case Kind.NULL:
      return null;
    default:
      return 'value' in node ? node.value : undefined;
  }
}
