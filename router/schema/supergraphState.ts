import type { SubgraphSource } from '../../registry/compose/composeSupergraph.js';
import { schemaHash } from '../../registry/compose/schemaHash.js';

export { schemaHash };

/** A composed supergraph the router serves, with what a publish needs to compose the next one. */
export interface SupergraphState {
  sdl: string;
  /** SHA-256 of the SDL (hex, first 16 digits): what audit events and responses name. */
  hash: string;
  /** The subgraphs it was composed from: name, routing URL, SDL. */
  subgraphs: SubgraphSource[];
  /** Its version in the schema registry. */
  version?: number;
}

/**
 * A supergraph and the subgraph SDLs it was composed from (the sources a publish composes with:
 * SDL as its team wrote it; a supergraph alone does not keep every directive faithfully). Not
 * validated here: the gateway refuses an invalid supergraph when it is swapped in, and building
 * it twice on the main thread would only delay the queries served meanwhile.
 */
export function readSupergraph(sdl: string, sources: SubgraphSource[], version?: number): SupergraphState {
  return { sdl, hash: schemaHash(sdl), subgraphs: sources, version };
}
