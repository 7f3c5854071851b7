import type { GraphQLSchema } from 'graphql';
import { loadDataset, type Dataset } from './data/datasets.js';
import { buildSchemaFromFile } from './lib/buildSchemaFromFile.js';
import { RoleStore } from './lib/roleStore.js';
import type { BrokerClient } from './lib/brokerClient.js';
import type { SubgraphName } from './subgraphNames.js';
import { accountsResolvers } from './accounts/resolvers.js';
import { productsResolvers } from './products/resolvers.js';
import { inventoryResolvers } from './inventory/resolvers.js';
import { reviewsResolvers } from './reviews/resolvers.js';

/** A built subgraph: its executable schema and its own role table. */
export interface BuiltSubgraph {
  schema: GraphQLSchema;
  roles: RoleStore;
}

function rolesOf(name: SubgraphName): RoleStore {
  return name === 'reviews' ? new RoleStore() : RoleStore.fromFile(new URL(`./${name}/roles.json`, import.meta.url));
}

/** What a subgraph may use besides its data: the broker client, for calls to other services. */
export interface SubgraphServices {
  broker?: BrokerClient;
}

const resolversFor = {
  accounts: (data: Dataset, roles: RoleStore, services: SubgraphServices) => accountsResolvers(data.users, roles, services.broker),
  products: (data: Dataset, roles: RoleStore) => productsResolvers(data.products, roles),
  inventory: (data: Dataset, roles: RoleStore) => inventoryResolvers(data.inventory, roles),
  reviews: (data: Dataset) => reviewsResolvers(data),
};

/** Builds one demo subgraph from its SDL file, its data and its role table. */
export function buildSubgraph(name: SubgraphName, data: Dataset = loadDataset(), services: SubgraphServices = {}): BuiltSubgraph {
  const roles = rolesOf(name);
  return { schema: buildSchemaFromFile(name, resolversFor[name](data, roles, services)), roles };
}
