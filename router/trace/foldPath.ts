import { Kind, parse, type DocumentNode, type SelectionNode } from 'graphql';

/** Joins a response path with list indices folded as `@` (e.g. users.@.reviews.@.body). */
export function foldPath(path: readonly (string | number)[]): string {
  return path.map((segment) => (typeof segment === 'number' ? '@' : segment)).join('.');
}

/** Response path segments as a tree: each distinct folded path is one node, however many list items share it. */
type PathTree = Map<string, PathTree>;

/**
 * The folded response paths a fetch's data covers. For an entity fetch (`_entities`), each
 * entity's fields sit under the fetch's plan path. The data is walked into a tree of segments
 * (no string or array made per value: a list of a thousand items folds into one `@` branch),
 * and the paths are spelled out once at the end.
 */
export function resolvedPaths(data: unknown, planPath: readonly string[]): string[] {
  const root: PathTree = new Map();
  const entities = planPath.length > 0 ? (data as { _entities?: unknown[] } | null)?._entities : undefined;
  if (entities) {
    let base = root;
    for (const segment of planPath) base = branch(base, segment);
    for (const entity of entities) walk(entity, base);
    const paths: string[] = [];
    spell(base, planPath.join('.'), paths);
    return paths;
  }
  walk(data, root);
  const paths: string[] = [];
  spell(root, '', paths);
  return paths;
}

function branch(tree: PathTree, segment: string): PathTree {
  let child = tree.get(segment);
  if (!child) tree.set(segment, (child = new Map()));
  return child;
}

function walk(value: unknown, tree: PathTree): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    const items = branch(tree, '@');
    for (const item of value) walk(item, items);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const key in value) {
    if (key === '__typename') continue;
    walk((value as Record<string, unknown>)[key], branch(tree, key));
  }
}

/** Every path below `tree` that ends at a field (a `@` alone is a list level, not a field). */
function spell(tree: PathTree, prefix: string, into: string[]): void {
  for (const [segment, child] of tree) {
    const path = prefix ? `${prefix}.${segment}` : segment;
    if (segment !== '@') into.push(path);
    spell(child, path, into);
  }
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
