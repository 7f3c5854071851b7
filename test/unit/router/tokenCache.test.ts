import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../../router/delegation/tokenCache.js';

const entry = (expiresAt: number) => ({ token: 't', scopes: [], exp: 0, jti: 'j', fingerprint: 'f', actorChain: [], actorChainAssertedBy: 'issuer' as const, expiresAt });

describe('TokenCache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const cache = new TokenCache(2);
    cache.set('a', entry(Date.now() + 60_000));
    cache.set('b', entry(Date.now() + 60_000));
    cache.get('a');
    cache.set('c', entry(Date.now() + 60_000));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('hands out nothing once an entry has expired, and never stores an expired one', () => {
    const cache = new TokenCache(10);
    cache.set('a', entry(1000), 0);
    expect(cache.get('a', 999)).toBeDefined();
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('b', entry(500), 600);
    expect(cache.size).toBe(0);
  });
});
