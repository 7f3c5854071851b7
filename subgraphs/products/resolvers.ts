import type { ProductRecord } from '../data/datasets.js';
import { checkKnown, checkRange } from '../../subgraph-kit/inputs/inputErrors.js';

/** The highest price `setPrice` accepts (in the catalog's unit). */
export const MAX_PRICE = 1_000_000;

/** Products owns the catalog: names, prices and weights; who may change a price is in rules.ts. */
export function productsResolvers(products: ProductRecord[]) {
  const byUpc = new Map(products.map((product) => [product.upc, product]));
  return {
    Query: {
      topProducts: (_: unknown, args: { first: number }) => products.slice(0, Math.max(0, args.first)),
    },
    Mutation: {
      setPrice: (_: unknown, args: { upc: string; price: number }) => {
        const product = byUpc.get(args.upc);
        checkKnown('upc', product !== undefined);
        checkRange('price', args.price, 0, MAX_PRICE);
        product!.price = args.price;
        return product;
      },
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => byUpc.get(ref.upc) ?? null,
    },
  };
}
