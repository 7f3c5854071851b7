import type { StockRecord } from '../data/benchmarkData.js';

/** Inventory owns stock levels and the shipping estimate. */
export function inventoryResolvers(stock: StockRecord[]) {
  const inStockByUpc = new Map(stock.map((item) => [item.upc, item.inStock]));
  return {
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
      inStock: (product: { upc: string }) => inStockByUpc.get(product.upc) ?? false,
      // The benchmark's inventory ignores the price and weight it @requires: always null.
      shippingEstimate: () => null,
    },
  };
}
