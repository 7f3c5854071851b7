import {
  Kind,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  parse,
  type ConstDirectiveNode,
  type DefinitionNode,
  type FieldDefinitionNode,
} from 'graphql';
import type { SubgraphSource } from '../compose/composeSupergraph.js';
import { federationDirectiveNames, stringArgument } from './federationDirectiveNames.js';

/** A subgraph as the registry checks need it: its name and SDL. */
export type SubgraphSdl = Pick<SubgraphSource, 'name' | 'sdl'>;

/** An object or interface field as one subgraph declares it. */
export interface FieldDeclaration {
  /** Every declaration of it is `@external` (or in an `@external` type): the subgraph doesn't resolve it. */
  external: boolean;
  /** It is named at the top of one of its type's `@key`s in this subgraph, as every entity extension must. */
  key: boolean;
  /** Its `@override`; a `label` makes the override progressive, so `from` keeps resolving too. */
  override?: { from: string; label?: string };
  /** Argument coordinates: `Query.product(id:)`. */
  arguments: Set<string>;
}

/** What one subgraph SDL declares, by schema coordinate, without federation's own types and fields. */
export interface SubgraphDeclarations {
  /** Every named type: `Product`. */
  types: Set<string>;
  /** Object and interface fields, `type` and `extend type` alike: `Product.price`. */
  fields: Map<string, FieldDeclaration>;
  /** Input fields (`ProductFilter.maxPrice`) and enum values (`Status.ACTIVE`). */
  members: Set<string>;
}

const ROOTS: Record<string, string> = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };
const FEDERATION_TYPES = new Set(['_Service', '_Entity', '_Any', '_FieldSet']);
const FEDERATION_PREFIXES = ['__', 'link__', 'join__', 'federation__'];

function isFederationType(name: string): boolean {
  return FEDERATION_TYPES.has(name) || FEDERATION_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function isFederationField(type: string, field: string): boolean {
  return field.startsWith('__') || (type === 'Query' && (field === '_service' || field === '_entities'));
}

/** Composition names root types Query, Mutation and Subscription whatever a subgraph calls them. */
function rootNames(definitions: readonly DefinitionNode[]): Map<string, string> {
  const roots = new Map<string, string>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const operation of definition.operationTypes ?? []) roots.set(operation.type.name.value, ROOTS[operation.operation] ?? operation.type.name.value);
  }
  return roots;
}

/** The top-level field names of a `@key(fields:)` selection: `"id organization { id }"` gives id and organization. */
function keyFieldNames(directive: ConstDirectiveNode): string[] {
  const fields = stringArgument(directive, 'fields') ?? '';
  try {
    const [operation] = parse(`{ ${fields} }`, { noLocation: true }).definitions;
    if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
    return operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
  } catch {
    // An unparsable key is composition's to report; here it just names no field.
    return [];
  }
}

/** Parses one subgraph SDL (throws graphql's GraphQLError when it doesn't parse) into coordinates. */
export function readSubgraphDeclarations(sdl: string): SubgraphDeclarations {
  const document = parse(sdl);
  const names = federationDirectiveNames(document);
  const has = (directives: readonly ConstDirectiveNode[] | undefined, set: Set<string>) => directives?.find((directive) => set.has(directive.name.value));
  const roots = rootNames(document.definitions);
  const declarations: SubgraphDeclarations = { types: new Set(), fields: new Map(), members: new Set() };
  const keys = new Set<string>();

  const addField = (type: string, typeExternal: boolean, field: FieldDefinitionNode) => {
    const coordinate = `${type}.${field.name.value}`;
    const external = typeExternal || has(field.directives, names.external) !== undefined;
    const override = has(field.directives, names.override);
    const from = override ? stringArgument(override, 'from') : undefined;
    // A field declared twice (type and extension) is resolved if any declaration resolves it.
    const declaration: FieldDeclaration = declarations.fields.get(coordinate) ?? { external, key: false, arguments: new Set() };
    declaration.external &&= external;
    if (override && from && !declaration.override) declaration.override = { from, label: stringArgument(override, 'label') };
    for (const argument of field.arguments ?? []) declaration.arguments.add(`${coordinate}(${argument.name.value}:)`);
    declarations.fields.set(coordinate, declaration);
  };

  for (const node of document.definitions) {
    if (!isTypeDefinitionNode(node) && !isTypeExtensionNode(node)) continue;
    const type = roots.get(node.name.value) ?? node.name.value;
    if (isFederationType(type)) continue;
    declarations.types.add(type);
    switch (node.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        // Federation 2 lets @external stand on a type: every field in that block is external.
        const typeExternal = has(node.directives, names.external) !== undefined;
        for (const key of node.directives ?? []) if (names.key.has(key.name.value)) for (const field of keyFieldNames(key)) keys.add(`${type}.${field}`);
        for (const field of node.fields ?? []) if (!isFederationField(type, field.name.value)) addField(type, typeExternal, field);
        break;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        for (const field of node.fields ?? []) declarations.members.add(`${type}.${field.name.value}`);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        for (const value of node.values ?? []) declarations.members.add(`${type}.${value.name.value}`);
        break;
      default:
        break;
    }
  }
  // Marked last: a @key on `type Product` names fields an `extend type Product` may declare.
  for (const [coordinate, declaration] of declarations.fields) declaration.key = keys.has(coordinate);
  return declarations;
}
