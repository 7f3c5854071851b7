import { readSubgraphDeclarations, type SubgraphSdl } from './readSubgraphDeclarations.js';

/**
 * For each object and interface field (`Product.price`), the subgraphs that resolve it: those
 * that declare it without `@external`, less any a plain `@override(from:)` took it from. An
 * override with a `label` is progressive (the router splits traffic), so its `from` still
 * resolves. A field every subgraph declares `@external` maps to an empty set.
 */
export function fieldOwners(subgraphs: SubgraphSdl[]): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  const overridden: { field: string; from: string }[] = [];
  for (const subgraph of subgraphs) {
    for (const [field, declaration] of readSubgraphDeclarations(subgraph.sdl).fields) {
      const resolvers = owners.get(field) ?? new Set<string>();
      owners.set(field, resolvers);
      if (declaration.external) continue;
      resolvers.add(subgraph.name);
      const override = declaration.override;
      if (override && override.label === undefined && override.from !== subgraph.name) overridden.push({ field, from: override.from });
    }
  }
  // Removed only after every subgraph is read: the overridden one may come later in the list.
  for (const { field, from } of overridden) owners.get(field)?.delete(from);
  return owners;
}
