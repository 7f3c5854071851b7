/** The four demo subgraphs, in the order they start. */
export const SUBGRAPH_NAMES = ['accounts', 'products', 'inventory', 'reviews'] as const;

export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Narrows a string to a subgraph name. */
export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}
