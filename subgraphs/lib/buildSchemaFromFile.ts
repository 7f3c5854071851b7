import { readFileSync } from 'node:fs';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from './subgraphContext.js';

/** The schema/ folder: each subgraph serves exactly the SDL file composition reads. */
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** Builds a subgraph schema from schema/<name>.graphql and the subgraph's resolvers. */
export function buildSchemaFromFile(name: string, resolvers: GraphQLResolverMap<SubgraphContext>): GraphQLSchema {
  const sdl = readFileSync(new URL(`${name}.graphql`, SCHEMA_DIR), 'utf8');
  // @apollo/subgraph types resolvers with an unknown context; ours all take SubgraphContext.
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> });
}
