import type { GraphQLResolveInfo } from 'graphql';
import type { StockRecord } from '../data/datasets.js';
import type { RoleStore } from '../lib/roleStore.js';
import type { SubgraphContext } from '../lib/subgraphContext.js';
import { authorize, hasRole, hasScope } from '../lib/authorize.js';

/** Inventory owns stock levels (who may read and change them) and the shipping estimate. */
export function inventoryResolvers(stock: StockRecord[], roles: RoleStore) {
  const inStockByUpc = new Map(stock.map((item) => [item.upc, item.inStock]));
  const canRead = hasScope('inventory:read');
  const clerk = hasRole(roles, 'clerk');
  return {
    Mutation: {
      setStock: (_: unknown, args: { upc: string; inStock: boolean }, context: SubgraphContext, info: GraphQLResolveInfo) => {
        authorize(clerk, undefined, context, info);
        inStockByUpc.set(args.upc, args.inStock);
        return { upc: args.upc };
      },
    },
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
      inStock: (product: { upc: string }, _: unknown, context: SubgraphContext, info: GraphQLResolveInfo) => {
        authorize(canRead, product, context, info);
        return inStockByUpc.get(product.upc) ?? false;
      },
      // Visible to all. The benchmark's inventory ignores the price and weight it @requires: always null.
      shippingEstimate: () => null,
    },
  };
}
