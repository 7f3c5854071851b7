import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from './subgraphContext.js';
import { packagePath } from '../../lib/packagePath.js';

/** The schema/ folder: each subgraph serves exactly the SDL file composition reads. */
const SCHEMA_DIR = packagePath('schema');

/** Builds a subgraph schema from schema/<name>.graphql and the subgraph's resolvers. */
export function buildSchemaFromFile(name: string, resolvers: GraphQLResolverMap<SubgraphContext>): GraphQLSchema {
  const sdl = readFileSync(join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
  // @apollo/subgraph types resolvers with an unknown context; ours all take SubgraphContext.
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> });
}
