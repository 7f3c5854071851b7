import { describe, expect, it, vi } from 'vitest';
import { TokenExchanger } from '../../../router/delegation/tokenExchanger.js';
import { MemoryTokenStore, type TokenStore } from '../../../router/delegation/tokenStore.js';
import type { CachedToken } from '../../../router/delegation/tokenCache.js';
import type { ExchangeRequest, ExchangeResult } from '../../../router/delegation/exchangeToken.js';
import type { Caller } from '../../../router/edge/authenticateCaller.js';
import type { SubgraphDelegation } from '../../../router/delegation/checkDelegationPolicy.js';
import { RevocationList } from '../../../lib/securityEvents/revocationList.js';
import type { Revocation } from '../../../lib/securityEvents/revocation.js';

// Unit tests: the exchange is a stub; the point is that no token of a revoked subject is ever handed out.

const NOW = Math.floor(Date.now() / 1000);

function caller(name: string, sid: string, iat = NOW - 60): Caller {
  return { token: `token-of-${name}-${sid}`, fingerprint: `fp-${name}-${sid}`, sub: name, clientId: 'web-app', scopes: ['inventory:read'], exp: NOW + 3600, jti: `jti-${name}`, claims: { sub: name, sid, iat } };
}

const inventory: SubgraphDelegation = { audience: 'inventory', scopes: ['inventory:read'], allowedClients: ['*'] };
const revokeSession = (sub: string, sid: string): Revocation => ({ sub, sid, before: NOW, event: 'session-revoked', jti: `set-${sid}` });

function exchangerWith(exchangeFn: (client: unknown, request: ExchangeRequest) => Promise<ExchangeResult>, store?: TokenStore) {
  const revocations = new RevocationList({ maxTokenLifetimeSeconds: 3600 });
  const exchanger = new TokenExchanger({
    exchange: { tokenEndpoint: 'http://unused', authenticate: async () => undefined, timeoutMs: 1000 },
    cache: { maxEntries: 100, skewSeconds: 30 },
    circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMs: 60_000 },
    exchangeFn: exchangeFn as never,
    store,
    revocations,
  });
  return { exchanger, revocations };
}

const issued = () => vi.fn(async (_client: unknown, request: ExchangeRequest): Promise<ExchangeResult> => ({ token: `issued-${Math.random()}`, expiresIn: 300, scopes: request.scopes }));
const revokedRefusal = expect.objectContaining({ code: 'DELEGATION_DENIED', reason: 'token_revoked' });

/** A shared store whose copies a revocation cannot reach (another instance's Redis): it keeps whatever it was given. */
class SharedStore implements TokenStore {
  readonly entries = new Map<string, CachedToken>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async set(key: string, entry: CachedToken) {
    this.entries.set(key, entry);
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  deleteWhere() {}
  size() {
    return this.entries.size;
  }
}

describe('TokenExchanger with revocations', () => {
  it("refuses a revoked session's subject token before its cache, and evicts its cached tokens", async () => {
    const exchange = issued();
    const { exchanger, revocations } = exchangerWith(exchange, new MemoryTokenStore(100));
    await exchanger.tokenFor(caller('alice', 's1'), 'inventory', inventory);
    await exchanger.tokenFor(caller('bob', 'b1'), 'inventory', inventory);
    expect(exchanger.cacheSize).toBe(2);
    revocations.record(revokeSession('alice', 's1'));
    expect(exchanger.cacheSize).toBe(1);
    await expect(exchanger.tokenFor(caller('alice', 's1'), 'inventory', inventory)).rejects.toEqual(revokedRefusal);
    expect(await exchanger.tokenFor(caller('bob', 'b1'), 'inventory', inventory)).toMatchObject({ source: 'cache' });
    expect(exchange).toHaveBeenCalledTimes(2);
  });

  it('never serves a revoked subject a token from a shared cache that still holds one', async () => {
    const store = new SharedStore();
    const { exchanger, revocations } = exchangerWith(issued(), store);
    await exchanger.tokenFor(caller('alice', 's1'), 'inventory', inventory);
    revocations.record(revokeSession('alice', 's1'));
    expect(store.entries.size).toBe(1);
    await expect(exchanger.tokenFor(caller('alice', 's1'), 'inventory', inventory)).rejects.toEqual(revokedRefusal);
  });

  it('records who each cached token was exchanged for (sub, sid, iat), never the subject token', async () => {
    const store = new SharedStore();
    const { exchanger } = exchangerWith(issued(), store);
    await exchanger.tokenFor(caller('alice', 's1'), 'inventory', inventory);
    const [entry] = store.entries.values();
    expect(entry.subject).toEqual({ sub: 'alice', claims: { sub: 'alice', sid: 's1', iat: NOW - 60 } });
    expect(JSON.stringify(entry)).not.toContain('token-of-alice');
  });

  it('neither hands out nor caches the token of an exchange that was on its way when the subject was revoked', async () => {
    let finish!: () => void;
    const exchange = vi.fn(async (_client: unknown, request: ExchangeRequest): Promise<ExchangeResult> => {
      await new Promise<void>((resolve) => (finish = resolve));
      return { token: 'late', expiresIn: 300, scopes: request.scopes };
    });
    const { exchanger, revocations } = exchangerWith(exchange, new MemoryTokenStore(100));
    const pending = exchanger.tokenFor(caller('alice', 's1'), 'inventory', inventory);
    await vi.waitFor(() => expect(exchange).toHaveBeenCalled());
    revocations.record(revokeSession('alice', 's1'));
    finish();
    await expect(pending).rejects.toEqual(revokedRefusal);
    expect(exchanger.cacheSize).toBe(0);
  });

  it("serves the user's other sessions, and tokens issued after the event", async () => {
    const { exchanger, revocations } = exchangerWith(issued(), new MemoryTokenStore(100));
    revocations.record(revokeSession('alice', 's1'));
    expect(exchanger.isRevoked(caller('alice', 's1'))).toBe(true);
    await expect(exchanger.tokenFor(caller('alice', 's2'), 'inventory', inventory)).resolves.toMatchObject({ source: 'exchange' });
    await expect(exchanger.tokenFor(caller('alice', 's1', NOW + 1), 'inventory', inventory)).resolves.toMatchObject({ source: 'exchange' });
  });
});
