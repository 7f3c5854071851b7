import type { GraphQLNamedType, GraphQLObjectType, GraphQLType, GraphQLUnionType } from 'graphql';

// graphql-js's isObjectType() and friends refuse a type from another copy of graphql (its CJS and
// ESM builds count as two when @apollo/gateway or @apollo/subgraph loads one and our code the
// other). These read the type's own tag instead, which every copy sets the same way.

const tag = (type: unknown) => (type as { [Symbol.toStringTag]?: string } | undefined)?.[Symbol.toStringTag];

/** An object type. */
export const isObject = (type: unknown): type is GraphQLObjectType => tag(type) === 'GraphQLObjectType';

/** A union type. */
export const isUnion = (type: unknown): type is GraphQLUnionType => tag(type) === 'GraphQLUnionType';

/** A union or an interface. */
export const isAbstract = (type: unknown): boolean => isUnion(type) || tag(type) === 'GraphQLInterfaceType';

/** A list type (possibly inside a non-null). */
export function isListType(type: GraphQLType): boolean {
  const inner = tag(type) === 'GraphQLNonNull' ? (type as { ofType: GraphQLType }).ofType : type;
  return tag(inner) === 'GraphQLList';
}

/** A type whose values have fields (object, interface, union). */
export const isComposite = (type: unknown): boolean => isObject(type) || isAbstract(type);

/** The named type under list and non-null wrappers. */
export function namedType(type: GraphQLType): GraphQLNamedType {
  let current: GraphQLType = type;
  while ('ofType' in current) current = current.ofType as GraphQLType;
  return current;
}
