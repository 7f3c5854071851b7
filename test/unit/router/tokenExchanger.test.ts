import { describe, expect, it, vi } from 'vitest';
import { TokenExchanger } from '../../../router/delegation/tokenExchanger.js';
import { delegationDenied, delegationUnavailable } from '../../../router/delegation/delegationRefusals.js';
import type { ExchangeRequest, ExchangeResult } from '../../../router/delegation/exchangeToken.js';
import type { Caller } from '../../../router/edge/authenticateCaller.js';
import type { SubgraphDelegation } from '../../../router/delegation/checkDelegationPolicy.js';

// Unit tests: the exchange is a stub so cache, coalescing and expiry rules can be pinned down.

function caller(name: string, expInSeconds = 3600, scopes = ['inventory:read', 'inventory:write']): Caller {
  return {
    token: `token-of-${name}`,
    fingerprint: `fp-${name}`,
    sub: name,
    clientId: 'web-app',
    scopes,
    exp: Math.floor(Date.now() / 1000) + expInSeconds,
    jti: `jti-${name}`,
    claims: {},
  };
}

const inventory: SubgraphDelegation = { audience: 'inventory', scopes: ['inventory:read', 'inventory:write'], allowedClients: ['*'] };

function exchangerWith(exchangeFn: (client: unknown, request: ExchangeRequest) => Promise<ExchangeResult>, skewSeconds = 30) {
  return new TokenExchanger({
    exchange: { tokenEndpoint: 'http://unused', authenticate: async () => undefined, timeoutMs: 1000 },
    cache: { maxEntries: 100, skewSeconds },
    circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
    exchangeFn: exchangeFn as never,
  });
}

const issued = (expiresIn = 300) =>
  vi.fn(async (_client: unknown, request: ExchangeRequest): Promise<ExchangeResult> => ({
    token: `issued-${request.audience}-${Math.random()}`,
    expiresIn,
    scopes: request.scopes,
  }));

describe('TokenExchanger', () => {
  it('serves a second request from the cache', async () => {
    const exchange = issued();
    const exchanger = exchangerWith(exchange);
    const first = await exchanger.tokenFor(caller('alice'), 'inventory', inventory);
    const second = await exchanger.tokenFor(caller('alice'), 'inventory', inventory);
    expect(first.source).toBe('exchange');
    expect(second).toMatchObject({ source: 'cache', token: first.token });
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('joins concurrent requests for the same key into one exchange', async () => {
    const exchange = issued();
    const exchanger = exchangerWith(exchange);
    const results = await Promise.all([1, 2, 3, 4].map(() => exchanger.tokenFor(caller('alice'), 'inventory', inventory)));
    expect(exchange).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.source)).toEqual(['exchange', 'coalesced', 'coalesced', 'coalesced']);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
  });

  it('keys the cache by subject, audience and scopes', async () => {
    const exchange = issued();
    const exchanger = exchangerWith(exchange);
    await exchanger.tokenFor(caller('alice'), 'inventory', inventory);
    await exchanger.tokenFor(caller('bob'), 'inventory', inventory);
    await exchanger.tokenFor(caller('alice', 3600, ['inventory:read']), 'inventory', inventory);
    await exchanger.tokenFor(caller('alice'), 'inventory', { ...inventory, audience: 'inventory-v2' });
    expect(exchange).toHaveBeenCalledTimes(4);
    expect(exchange.mock.calls.map(([, request]) => request.scopes.join(' '))).toEqual([
      'inventory:read inventory:write',
      'inventory:read inventory:write',
      'inventory:read',
      'inventory:read inventory:write',
    ]);
  });

  it('never requests a scope the caller does not hold', async () => {
    const exchange = issued();
    await exchangerWith(exchange).tokenFor(caller('alice', 3600, ['reviews:read']), 'inventory', inventory);
    expect(exchange.mock.calls[0][1].scopes).toEqual([]);
  });

  it('does not cache a token whose lifetime is within the skew margin', async () => {
    const exchange = issued(20);
    const exchanger = exchangerWith(exchange, 30);
    await exchanger.tokenFor(caller('alice'), 'inventory', inventory);
    await exchanger.tokenFor(caller('alice'), 'inventory', inventory);
    expect(exchange).toHaveBeenCalledTimes(2);
  });

  it('expires an entry no later than the subject token', async () => {
    vi.useFakeTimers();
    try {
      const exchange = issued(300);
      const exchanger = exchangerWith(exchange, 0);
      const shortLived = caller('alice', 60);
      await exchanger.tokenFor(shortLived, 'inventory', inventory);
      vi.advanceTimersByTime(59_000);
      expect((await exchanger.tokenFor(shortLived, 'inventory', inventory)).source).toBe('cache');
      vi.advanceTimersByTime(2_000);
      expect((await exchanger.tokenFor(shortLived, 'inventory', inventory)).source).toBe('exchange');
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not cache a failure: the next call exchanges again', async () => {
    const exchange = vi
      .fn()
      .mockRejectedValueOnce(delegationDenied('inventory', 'invalid_target'))
      .mockImplementation(issued());
    const exchanger = exchangerWith(exchange);
    await expect(exchanger.tokenFor(caller('alice'), 'inventory', inventory)).rejects.toMatchObject({ code: 'DELEGATION_DENIED', reason: 'invalid_target' });
    await expect(exchanger.tokenFor(caller('alice'), 'inventory', inventory)).resolves.toMatchObject({ source: 'exchange' });
  });

  it('refuses a grant wider than requested', async () => {
    const widened = vi.fn(async () => ({ token: 't', expiresIn: 300, scopes: ['inventory:read', 'inventory:admin'] }));
    const exchanger = exchangerWith(widened);
    await expect(exchanger.tokenFor(caller('alice'), 'inventory', inventory)).rejects.toMatchObject({ reason: 'scope_widened' });
  });

  it('opens the circuit after consecutive unavailability and then fails without calling', async () => {
    const down = vi.fn(async () => {
      throw delegationUnavailable('inventory', 'unreachable');
    });
    const exchanger = exchangerWith(down);
    for (const user of ['a', 'b']) await expect(exchanger.tokenFor(caller(user), 'inventory', inventory)).rejects.toMatchObject({ reason: 'unreachable' });
    await expect(exchanger.tokenFor(caller('c'), 'inventory', inventory)).rejects.toMatchObject({ code: 'DELEGATION_UNAVAILABLE', reason: 'circuit_open' });
    expect(down).toHaveBeenCalledTimes(2);
  });

  it('denies by policy before any exchange', async () => {
    const exchange = issued();
    const exchanger = exchangerWith(exchange);
    await expect(exchanger.tokenFor(caller('alice'), 'inventory', { ...inventory, allowedClients: ['other'] })).rejects.toMatchObject({
      code: 'DELEGATION_DENIED',
      reason: 'policy',
    });
    expect(exchange).not.toHaveBeenCalled();
  });
});
