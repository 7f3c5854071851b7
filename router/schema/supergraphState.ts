import { createHash } from 'node:crypto';
import { Supergraph } from '@apollo/federation-internals';
import type { SubgraphSource } from '../../registry/compose/composeSupergraph.js';

/** A composed supergraph the router serves, with what a publish needs to compose the next one. */
export interface SupergraphState {
  sdl: string;
  /** SHA-256 of the SDL (hex, first 16 digits): what audit events and responses name. */
  hash: string;
  /** The subgraphs it was composed from: name, routing URL, SDL. */
  subgraphs: SubgraphSource[];
}

/** Short SHA-256 of a supergraph SDL. */
export function schemaHash(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex').slice(0, 16);
}

/**
 * Reads a supergraph and the subgraph SDLs it was composed from (the sources a publish
 * composes with: SDL as its team wrote it; a supergraph alone does not keep every directive
 * faithfully). Throws on an invalid supergraph. Builds no API schema: breaking-change checks
 * diff SDLs in the composition thread (registry/compose/compositionThread.ts), off this thread.
 */
export function readSupergraph(sdl: string, sources: SubgraphSource[]): SupergraphState {
  Supergraph.build(sdl);
  return { sdl, hash: schemaHash(sdl), subgraphs: sources };
}
