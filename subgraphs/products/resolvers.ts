import type { ProductRecord } from '../data/benchmarkData.js';

/** Products owns the catalog: names, prices and weights. */
export function productsResolvers(products: ProductRecord[]) {
  const byUpc = new Map(products.map((product) => [product.upc, product]));
  return {
    Query: {
      topProducts: (_: unknown, args: { first: number }) => products.slice(0, Math.max(0, args.first)),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => byUpc.get(ref.upc) ?? null,
    },
  };
}
