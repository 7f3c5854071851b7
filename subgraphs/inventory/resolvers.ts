import type { StockRecord } from '../data/datasets.js';
import { checkKnown } from '../../subgraph-kit/inputs/inputErrors.js';

/** Inventory owns stock levels and the shipping estimate; who may read or change them is in rules.ts. */
export function inventoryResolvers(stock: StockRecord[]) {
  const inStockByUpc = new Map(stock.map((item) => [item.upc, item.inStock]));
  return {
    Mutation: {
      setStock: (_: unknown, args: { upc: string; inStock: boolean }) => {
        checkKnown('upc', inStockByUpc.has(args.upc));
        inStockByUpc.set(args.upc, args.inStock);
        return { upc: args.upc };
      },
    },
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
      inStock: (product: { upc: string }) => inStockByUpc.get(product.upc) ?? false,
      // The benchmark's inventory ignores the price and weight it @requires: always null.
      shippingEstimate: () => null,
    },
  };
}
