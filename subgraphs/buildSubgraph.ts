import type { GraphQLSchema } from 'graphql';
import { loadBenchmarkData, type BenchmarkData } from './data/benchmarkData.js';
import { buildSchemaFromFile } from './lib/buildSchemaFromFile.js';
import type { SubgraphName } from './subgraphNames.js';
import { accountsResolvers } from './accounts/resolvers.js';
import { productsResolvers } from './products/resolvers.js';
import { inventoryResolvers } from './inventory/resolvers.js';
import { reviewsResolvers } from './reviews/resolvers.js';

const resolversFor = {
  accounts: (data: BenchmarkData) => accountsResolvers(data.users),
  products: (data: BenchmarkData) => productsResolvers(data.products),
  inventory: (data: BenchmarkData) => inventoryResolvers(data.inventory),
  reviews: (data: BenchmarkData) => reviewsResolvers(data.reviews, data.users),
};

/** Builds one demo subgraph's executable schema from its SDL file and its data. */
export function buildSubgraph(name: SubgraphName, data: BenchmarkData = loadBenchmarkData()): GraphQLSchema {
  return buildSchemaFromFile(name, resolversFor[name](data));
}
