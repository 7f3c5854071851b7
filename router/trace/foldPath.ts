import { Kind, parse, type DocumentNode, type SelectionNode } from 'graphql';

/** Joins a response path with list indices folded as `@` (e.g. users.@.reviews.@.body). */
export function foldPath(path: readonly (string | number)[]): string {
  return path.map((segment) => (typeof segment === 'number' ? '@' : segment)).join('.');
}

/**
 * The folded response paths a fetch's data covers. For an entity fetch (`_entities`), each
 * entity's fields sit under the fetch's plan path.
 */
export function resolvedPaths(data: unknown, planPath: readonly string[]): string[] {
  const paths = new Set<string>();
  const walk = (value: unknown, prefix: string[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, [...prefix, '@']);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '__typename') continue;
      const path = [...prefix, key];
      paths.add(path.join('.'));
      walk(child, path);
    }
  };
  const entities = planPath.length > 0 ? (data as { _entities?: unknown[] } | null)?._entities : undefined;
  if (entities) for (const entity of entities) walk(entity, [...planPath]);
  else walk(data, []);
  return [...paths];
}

/** A subgraph error's path as a response path: `_entities.N.field` becomes plan path + field. */
export function responsePathOf(errorPath: readonly (string | number)[], planPath: readonly string[]): string {
  const relative = errorPath[0] === '_entities' ? [...planPath, ...errorPath.slice(2)] : [...errorPath];
  return foldPath(relative);
}

/**
 * The response paths a fetch was planned to fill, one level deep, from its operation: used
 * when the fetch failed and returned no data, so the nulls it left still have a chain.
 */
export function plannedPaths(source: DocumentNode | string | undefined, planPath: readonly string[]): string[] {
  const document = typeof source === 'string' ? parse(source) : source;
  const operation = document?.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [];
  const fieldsOf = (selections: readonly SelectionNode[]): string[] =>
    selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? [] : [(selection.alias ?? selection.name).value];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet.selections);
      return [];
    });
  const top = operation.selectionSet.selections;
  if (planPath.length === 0) return fieldsOf(top);
  const entities = top.find((selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities');
  const nested = entities?.kind === Kind.FIELD ? (entities.selectionSet?.selections ?? []) : [];
  return fieldsOf(nested).map((field) => [...planPath, field].join('.'));
}
