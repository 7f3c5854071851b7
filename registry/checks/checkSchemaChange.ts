import { diff, CriticalityLevel } from '@graphql-inspector/core';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { composeSupergraph, type CompositionProblem, type SubgraphSource } from '../compose/composeSupergraph.js';

/** One change of the client-facing schema, as @graphql-inspector classifies it. */
export interface SchemaChange {
  level: 'breaking' | 'dangerous' | 'safe';
  type: string;
  message: string;
  path?: string;
}

/** The verdict on a proposed subgraph SDL: does it compose, and what does it change for clients? */
export type SchemaCheck =
  | { composes: false; problems: CompositionProblem[] }
  | { composes: true; supergraphSdl: string; changes: SchemaChange[]; breaking: SchemaChange[] };

const LEVELS: Record<string, SchemaChange['level']> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/**
 * Composes `proposed` in place of (or beside) its subgraph, then diffs the new API schema with
 * the current one. One implementation for `npm run schema:check` and the router's publish.
 */
export async function checkSchemaChange(current: GraphQLSchema, subgraphs: SubgraphSource[], proposed: SubgraphSource): Promise<SchemaCheck> {
  const others = subgraphs.filter((source) => source.name !== proposed.name);
  const outcome = composeSupergraph([...others, proposed]);
  if (!outcome.ok) return { composes: false, problems: outcome.problems };
  const next = Supergraph.build(outcome.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const changes = (await diff(current, next)).map(
    (change): SchemaChange => ({ level: LEVELS[change.criticality.level] ?? 'safe', type: change.type, message: change.message, path: change.path }),
  );
  return { composes: true, supergraphSdl: outcome.supergraphSdl, changes, breaking: changes.filter((change) => change.level === 'breaking') };
}
