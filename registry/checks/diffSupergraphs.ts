import { diff, CriticalityLevel } from '@graphql-inspector/core';
import { Supergraph } from '@apollo/federation-internals';

/** One change of the client-facing schema, as @graphql-inspector classifies it. */
export interface SchemaChange {
  level: 'breaking' | 'dangerous' | 'safe';
  type: string;
  message: string;
  path?: string;
}

const LEVELS: Record<string, SchemaChange['level']> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/**
 * What changes for clients between two supergraphs: the diff of their API schemas (what
 * clients can query; the join__ and link machinery is not theirs). No `before` (nothing served
 * yet): no change, since no client can be broken.
 */
export async function diffSupergraphs(before: string | undefined, after: string): Promise<SchemaChange[]> {
  if (before === undefined) return [];
  const apiSchemaOf = (sdl: string) => Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const changes = await diff(apiSchemaOf(before), apiSchemaOf(after));
  // Plain objects only: results cross a thread boundary (structured clone).
  return changes.map((change) => ({ level: LEVELS[change.criticality.level] ?? 'safe', type: change.type, message: change.message, path: change.path }));
}
