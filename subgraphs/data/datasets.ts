import { readFileSync } from 'node:fs';
import { packagePath } from '../../lib/packagePath.js';

// Two datasets, chosen with DEPUTY_DATASET:
// - benchmark (default): graphql-hive/graphql-gateways-benchmark's data (MIT, The Guild) and its
//   resolution rules, so the public benchmark query returns its published expected response;
// - demo: the same catalog with the demo users (alice, bob, carol), real authors and drafts.

export interface UserRecord { id: string; name: string; username: string; birthday: number }
export interface ProductRecord { upc: string; name: string; price: number; weight: number }
export interface StockRecord { upc: string; inStock: boolean }
export interface ReviewRecord { id: string; body: string; product: { upc: string }; authorId?: string; draft?: boolean }

export type DatasetName = 'benchmark' | 'demo';

/** A dataset plus the two rules that differ between the benchmark and the demo. */
export interface Dataset {
  name: DatasetName;
  users: UserRecord[];
  products: ProductRecord[];
  inventory: StockRecord[];
  reviews: ReviewRecord[];
  /** Who wrote a review: benchmark rule, always user 1; demo, its authorId. */
  authorIdOf(review: ReviewRecord): string;
  /** Which reviews a user's `reviews` lists: benchmark rule, always 1 and 2; demo, what they wrote. */
  reviewsOf(userId: string): ReviewRecord[];
}

type RawDataset = Omit<Dataset, 'name' | 'authorIdOf' | 'reviewsOf'>;

function read(file: string): RawDataset {
  return JSON.parse(readFileSync(packagePath('subgraphs', 'data', file), 'utf8')) as RawDataset;
}

/** Loads a dataset by name; each call returns fresh records (mutations stay in one process). */
export function loadDataset(name: DatasetName = 'benchmark'): Dataset {
  if (name === 'benchmark') {
    const raw = read('./benchmark.json');
    return {
      name,
      ...raw,
      authorIdOf: () => raw.users[0].id,
      reviewsOf: () => raw.reviews.filter((review) => review.id === '1' || review.id === '2'),
    };
  }
  const raw = read('./demo.json');
  return {
    name,
    ...raw,
    authorIdOf: (review) => review.authorId ?? raw.users[0].id,
    reviewsOf: (userId) => raw.reviews.filter((review) => review.authorId === userId),
  };
}

/** The dataset named by DEPUTY_DATASET (benchmark when unset). */
export function datasetFromEnv(env: NodeJS.ProcessEnv = process.env): DatasetName {
  const name = env.DEPUTY_DATASET ?? 'benchmark';
  if (name !== 'benchmark' && name !== 'demo') throw new Error(`DEPUTY_DATASET must be benchmark or demo, got "${name}"`);
  return name;
}
