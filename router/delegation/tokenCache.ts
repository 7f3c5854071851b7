import type { IssuedToken } from './issuedToken.js';
import type { RevocableToken } from '../../lib/securityEvents/revocation.js';

/** A cached subgraph token and when the cache must stop handing it out (ms since epoch). */
export interface CachedToken extends IssuedToken {
  expiresAt: number;
  /** Whose token it was exchanged from (`sub`, `sid`, `iat`; never the token), for evicting it on a revocation. */
  subject?: RevocableToken;
}

/**
 * A bounded LRU of exchanged tokens. Keys are hashes (never a token); an entry is dropped
 * once `expiresAt` passes, which the token exchanger sets before the token's exp and never after the
 * subject token's.
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedToken>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now = Date.now()): CachedToken | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedToken, now = Date.now()): void {
    if (entry.expiresAt <= now) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry `matches`. */
  deleteWhere(matches: (entry: CachedToken) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
