import { readFileSync } from 'node:fs';

// benchmark.json is the dataset of graphql-hive/graphql-gateways-benchmark (MIT, The Guild),
// so that the public benchmark's query returns its published expected response.

export interface UserRecord { id: string; name: string; username: string; birthday: number }
export interface ProductRecord { upc: string; name: string; price: number; weight: number }
export interface StockRecord { upc: string; inStock: boolean }
export interface ReviewRecord { id: string; body: string; product: { upc: string } }

/** The benchmark dataset: every subgraph reads only its own part of it. */
export interface BenchmarkData {
  users: UserRecord[];
  products: ProductRecord[];
  inventory: StockRecord[];
  reviews: ReviewRecord[];
}

/** Loads the benchmark dataset that sits beside this file. */
export function loadBenchmarkData(): BenchmarkData {
  return JSON.parse(readFileSync(new URL('./benchmark.json', import.meta.url), 'utf8')) as BenchmarkData;
}
