import { diff, CriticalityLevel } from '@graphql-inspector/core';
import { Supergraph } from '@apollo/federation-internals';
import { affectedFields } from './affectedFields.js';

/** One change of the client-facing schema, as @graphql-inspector classifies it. */
export interface SchemaChange {
  level: 'breaking' | 'dangerous' | 'safe';
  type: string;
  message: string;
  path?: string;
  /**
   * For a breaking change: the field coordinates whose usage it breaks (`Type.` for every field
   * of a type), read against the schema before it, so an enum value or input field removed
   * names the fields that take or return it.
   */
  affects?: string[];
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
  const current = apiSchemaOf(before);
  const changes = await diff(current, apiSchemaOf(after));
  // Plain objects only: results cross a thread boundary (structured clone).
  return changes.map((found) => {
    const change: SchemaChange = { level: LEVELS[found.criticality.level] ?? 'safe', type: found.type, message: found.message, path: found.path };
    return change.level === 'breaking' ? { ...change, affects: affectedFields([change], current) } : change;
  });
}
