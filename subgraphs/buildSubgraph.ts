import type { GraphQLSchema } from 'graphql';
import { loadDataset, type Dataset } from './data/datasets.js';
import { buildSchemaFromFile } from './lib/buildSchemaFromFile.js';
import { RoleStore } from './lib/roleStore.js';
import { packagePath } from '../lib/packagePath.js';
import type { BrokerClient } from '../broker-client/index.js';
import type { SubgraphName } from './subgraphNames.js';
import { protectSchema } from '../subgraph-kit/rules/protectSchema.js';
import type { RuleSet } from '../subgraph-kit/rules/ruleSet.js';
import { accountsResolvers } from './accounts/resolvers.js';
import { accountsRules } from './accounts/rules.js';
import { productsResolvers } from './products/resolvers.js';
import { productsRules } from './products/rules.js';
import { inventoryResolvers } from './inventory/resolvers.js';
import { inventoryRules } from './inventory/rules.js';
import { reviewsResolvers } from './reviews/resolvers.js';
import { reviewsRules } from './reviews/rules.js';

/** A built subgraph: its executable schema, its own role table and the rules applied to it. */
export interface BuiltSubgraph {
  schema: GraphQLSchema;
  roles: RoleStore;
  rules: RuleSet;
}

/** What a subgraph may use besides its data: the broker client, for calls to other services. */
export interface SubgraphServices {
  broker?: BrokerClient;
}

/** Each subgraph's resolvers (what it owns) and its rules (who may see and change it), kept apart. */
const parts = {
  accounts: { resolvers: (data: Dataset, services: SubgraphServices) => accountsResolvers(data.users, services.broker), rules: accountsRules },
  products: { resolvers: (data: Dataset) => productsResolvers(data.products), rules: productsRules },
  inventory: { resolvers: (data: Dataset) => inventoryResolvers(data.inventory), rules: inventoryRules },
  reviews: { resolvers: (data: Dataset) => reviewsResolvers(data), rules: reviewsRules },
};

/**
 * Builds one demo subgraph from its SDL file, its data and its role table, with its rules
 * applied to every resolver; rules that leave a field uncovered throw RuleCoverageError.
 */
export function buildSubgraph(name: SubgraphName, data: Dataset = loadDataset(), services: SubgraphServices = {}): BuiltSubgraph {
  const roles = RoleStore.fromFile(packagePath('subgraphs', name, 'roles.json'));
  const rules = parts[name].rules(roles, data);
  const schema = protectSchema(name, buildSchemaFromFile(name, parts[name].resolvers(data, services)), rules);
  return { schema, roles, rules };
}
