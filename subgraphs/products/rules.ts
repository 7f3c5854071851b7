import type { RoleStore } from '../lib/roleStore.js';
import { all, everyone, role, scope } from '../../subgraph-kit/rules/rule.js';
import type { RuleSet } from '../../subgraph-kit/rules/ruleSet.js';

/** Products' rules: the catalog is public to any delegation; a price change needs products:write and pricing-admin. */
export function productsRules(roles: RoleStore): RuleSet {
  return {
    readScope: 'products:read',
    writeScope: 'products:write',
    types: {
      Query: { fields: { topProducts: everyone } },
      Mutation: { fields: { setPrice: all(scope('products:write'), role(roles, 'pricing-admin')) } },
      Product: { object: everyone, fields: { upc: everyone, name: everyone, price: everyone, weight: everyone } },
    },
  };
}
