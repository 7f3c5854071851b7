import type { CompositionOutcome, SubgraphSource } from './compose/composeSupergraph.js';
import type { SchemaChange, SchemaCheck } from './checks/checkSchemaChange.js';

/** Who asks the registry: a team client (owning one subgraph) or a registry admin. */
export interface Actor {
  clientId: string;
  /** The subgraph this client's team owns; none for an admin client that owns none. */
  subgraph?: string;
  /** Holds the registry admin scope: rollback, any approval, any subgraph. */
  admin: boolean;
}

/** A subgraph SDL proposed for the graph. */
export interface Proposal {
  subgraph: string;
  sdl: string;
  /** Where the router reaches the subgraph: required to add a subgraph, else the current one is kept. */
  routingUrl?: string;
}

/** The composition work, run off the request path (registry/compose/compositionThread.ts). */
export interface Composer {
  check(currentSupergraphSdl: string | undefined, subgraphs: SubgraphSource[], proposed: SubgraphSource): Promise<SchemaCheck>;
  diff(beforeSupergraphSdl: string, afterSupergraphSdl: string): Promise<SchemaChange[]>;
  compose(sources: SubgraphSource[]): Promise<CompositionOutcome>;
}
