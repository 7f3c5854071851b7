import type { VerifiedToken } from './verifyAccessToken.js';

/**
 * Verified tokens by fingerprint, each kept until its exp, so a token presented many times
 * (a subgraph fetched sixteen times by one query, a user's every request at the router) is
 * verified once. Bounded: the oldest entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries = 10_000) {}

  get(fingerprint: string, nowSeconds = Date.now() / 1000): VerifiedToken | undefined {
    const entry = this.entries.get(fingerprint);
    if (entry && entry.exp <= nowSeconds) {
      this.entries.delete(fingerprint);
      return undefined;
    }
    return entry;
  }

  set(fingerprint: string, token: VerifiedToken): void {
    this.entries.set(fingerprint, token);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Forgets every entry `matches` (a revocation's tokens); returns how many. */
  deleteWhere(matches: (token: VerifiedToken) => boolean): number {
    let deleted = 0;
    for (const [fingerprint, token] of this.entries) {
      if (!matches(token)) continue;
      this.entries.delete(fingerprint);
      deleted += 1;
    }
    return deleted;
  }
}
