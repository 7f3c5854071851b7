import { readFileSync } from 'node:fs';
import { packagePath } from '../lib/packagePath.js';
import type { RouterConfig } from './config/configSchema.js';
import { readRoverConfig } from '../registry/compose/readRoverConfig.js';
import { composeSupergraph, formatProblems, readSubgraphSources, type SubgraphSource } from '../registry/compose/composeSupergraph.js';

/** The demo supergraph inside the package: the default when a configuration names none. */
export const DEFAULT_SUPERGRAPH_FILE = packagePath('schema', 'supergraph.graphql');

/** The subgraph SDLs behind the supergraph, from `sources` (or `rover`): what a publish composes with. */
export function subgraphSources(supergraph: RouterConfig['supergraph']): SubgraphSource[] {
  const roverFile = supergraph.sources ?? supergraph.rover;
  return roverFile ? readSubgraphSources(readRoverConfig(roverFile).subgraphs) : [];
}

/** The supergraph SDL: a composed file, or rover.yaml composed now. */
export function loadSupergraph(supergraph: RouterConfig['supergraph']): string {
  if (supergraph.rover) {
    const outcome = composeSupergraph(readSubgraphSources(readRoverConfig(supergraph.rover).subgraphs));
    if (!outcome.ok) throw new Error(`composing ${supergraph.rover} failed:\n${formatProblems(outcome.problems)}`);
    return outcome.supergraphSdl;
  }
  const file = supergraph.file ?? DEFAULT_SUPERGRAPH_FILE;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read the supergraph ${file} (run npm run compose, or set supergraph.file)`);
  }
}
