import { TokenCache, type CachedToken } from './tokenCache.js';

/** Where exchanged tokens are cached: in memory (default) or shared by several instances. */
export interface TokenStore {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, entry: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
  /** Forgets the entries this instance holds that `matches` (a revocation's); a shared store's copies are refused on read. */
  deleteWhere(matches: (entry: CachedToken) => boolean): void;
  /** Entries held by this instance (for the cache-size gauge). */
  size(): number;
}

/** The in-memory store: a bounded LRU per router instance. */
export class MemoryTokenStore implements TokenStore {
  private readonly cache: TokenCache;

  constructor(maxEntries: number) {
    this.cache = new TokenCache(maxEntries);
  }

  async get(key: string): Promise<CachedToken | undefined> {
    return this.cache.get(key);
  }

  async set(key: string, entry: CachedToken): Promise<void> {
    this.cache.set(key, entry);
  }

  async delete(key: string): Promise<void> {
    this.cache.delete(key);
  }

  deleteWhere(matches: (entry: CachedToken) => boolean): void {
    this.cache.deleteWhere(matches);
  }

  size(): number {
    return this.cache.size;
  }
}
