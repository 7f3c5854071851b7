import { composeSupergraph, type CompositionProblem, type SubgraphSource } from '../compose/composeSupergraph.js';
import { diffSupergraphs, type SchemaChange } from './diffSupergraphs.js';
import { findTakeovers, type Takeover } from './findTakeovers.js';

export type { SchemaChange } from './diffSupergraphs.js';

/** The verdict on a proposed subgraph SDL: does it compose, and what does it change for clients? */
export type SchemaCheck =
  | { composes: false; problems: CompositionProblem[] }
  | { composes: true; supergraphSdl: string; changes: SchemaChange[]; breaking: SchemaChange[]; takeovers: Takeover[] };

/**
 * Composes `proposed` in place of (or beside) its subgraph, then diffs the new API schema with
 * that of `currentSupergraphSdl` (none: nothing is served yet, so no change), and names the
 * fields it would take over from other subgraphs. One
 * implementation for `npm run schema:check`, the router's publish and the composition thread.
 */
export async function checkSchemaChange(currentSupergraphSdl: string | undefined, subgraphs: SubgraphSource[], proposed: SubgraphSource): Promise<SchemaCheck> {
  const others = subgraphs.filter((source) => source.name !== proposed.name);
  const outcome = composeSupergraph([...others, proposed]);
  if (!outcome.ok) return { composes: false, problems: outcome.problems };
  const changes = await diffSupergraphs(currentSupergraphSdl, outcome.supergraphSdl);
  const breaking = changes.filter((change) => change.level === 'breaking');
  // Parsing every subgraph for ownership costs as much as the SDLs are large: here, off the main thread too.
  return { composes: true, supergraphSdl: outcome.supergraphSdl, changes, breaking, takeovers: findTakeovers(subgraphs, proposed) };
}
