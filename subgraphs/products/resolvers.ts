import type { GraphQLResolveInfo } from 'graphql';
import type { ProductRecord } from '../data/datasets.js';
import type { RoleStore } from '../lib/roleStore.js';
import type { SubgraphContext } from '../lib/subgraphContext.js';
import { authorize, hasRole } from '../lib/authorize.js';

/** Products owns the catalog: names, prices and weights; only a pricing admin changes a price. */
export function productsResolvers(products: ProductRecord[], roles: RoleStore) {
  const byUpc = new Map(products.map((product) => [product.upc, product]));
  const pricingAdmin = hasRole(roles, 'pricing-admin');
  return {
    Query: {
      topProducts: (_: unknown, args: { first: number }) => products.slice(0, Math.max(0, args.first)),
    },
    Mutation: {
      setPrice: (_: unknown, args: { upc: string; price: number }, context: SubgraphContext, info: GraphQLResolveInfo) => {
        authorize(pricingAdmin, undefined, context, info);
        const product = byUpc.get(args.upc);
        if (product) product.price = args.price;
        return product ?? null;
      },
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => byUpc.get(ref.upc) ?? null,
    },
  };
}
