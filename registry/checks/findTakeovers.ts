import { fieldOwners } from './fieldOwners.js';
import { readSubgraphDeclarations, type SubgraphSdl } from './readSubgraphDeclarations.js';

/** A field a proposed subgraph would start resolving while other subgraphs resolve it today. */
export interface Takeover {
  /** Schema coordinate: `Product.price`. */
  field: string;
  /** The subgraphs that resolve it today, sorted. */
  owners: string[];
  /** The proposed subgraph. */
  taker: string;
  /** `override`: the taker's field says `@override(from:)` one of the owners; `shared`: it resolves it beside them. */
  how: 'override' | 'shared';
}

/**
 * The fields `proposed` (replacing its current version, or added) would take over from other
 * subgraphs, sorted by field. Key fields it declares to extend an entity are not takeovers.
 */
export function findTakeovers(current: SubgraphSdl[], proposed: SubgraphSdl): Takeover[] {
  const before = fieldOwners(current);
  const after = fieldOwners([...current.filter((subgraph) => subgraph.name !== proposed.name), proposed]);
  const declared = readSubgraphDeclarations(proposed.sdl).fields;
  const takeovers: Takeover[] = [];
  for (const [field, resolvers] of after) {
    const owners = [...(before.get(field) ?? [])].sort();
    // A new field, or one the taker already resolved, takes nothing from anyone.
    if (!resolvers.has(proposed.name) || owners.length === 0 || owners.includes(proposed.name)) continue;
    const declaration = declared.get(field);
    const from = declaration?.override?.from;
    const how = from !== undefined && owners.includes(from) ? 'override' : 'shared';
    // Every subgraph that extends an entity declares its key fields: that joins the entity, it takes nothing.
    if (how === 'shared' && declaration?.key) continue;
    takeovers.push({ field, owners, taker: proposed.name, how });
  }
  return takeovers.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function list(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** One line for a terminal or a CI log: `products would take over Product.price from inventory (@override)`. */
export function formatTakeover(takeover: Takeover): string {
  return `${takeover.taker} would take over ${takeover.field} from ${list(takeover.owners)} (${takeover.how === 'override' ? '@override' : 'shared'})`;
}
