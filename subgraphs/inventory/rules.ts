import type { RoleStore } from '../lib/roleStore.js';
import { all, everyone, role, scope } from '../../subgraph-kit/rules/rule.js';
import type { RuleSet } from '../../subgraph-kit/rules/ruleSet.js';

/** Inventory's rules: stock levels need inventory:read; changing them, inventory:write and the clerk role. */
export function inventoryRules(roles: RoleStore): RuleSet {
  return {
    readScope: 'inventory:read',
    writeScope: 'inventory:write',
    types: {
      Mutation: { fields: { setStock: all(scope('inventory:write'), role(roles, 'clerk')) } },
      Product: {
        object: everyone,
        // price and weight are products' data, received with the reference (@requires) for the estimate.
        fields: { upc: everyone, weight: everyone, price: everyone, inStock: scope('inventory:read'), shippingEstimate: everyone },
      },
    },
  };
}
