import { describe, expect, it, vi } from 'vitest';
import { BROKER_URL, TOKEN_ENDPOINT, fakeBroker, reviewsCall, type SeenRequest } from './fakeBroker.js';

const REVIEWS_URL = 'http://reviews.test/graphql';
const callers = { 'accounts-service': { subgraph: 'accounts', targets: { reviews: ['reviews:read', 'reviews:write'] } } };

/** The broker is down; the token endpoint exchanges; reviews answers. */
const brokerDown = (request: SeenRequest) => {
  if (request.url === BROKER_URL) return new TypeError('fetch failed');
  if (request.url === TOKEN_ENDPOINT) return { status: 200, body: { access_token: 'direct-token', expires_in: 60, scope: 'reviews:read' } };
  return { status: 200, body: { data: { direct: true } } };
};

const withFallback = (onFallback = vi.fn()) =>
  fakeBroker(brokerDown, { circuit: { consecutiveFailures: 1 }, fallback: { enabled: true, callers, targets: { reviews: { url: REVIEWS_URL } }, onFallback } });

describe('the direct-exchange fallback', () => {
  it('exchanges the user’s token itself for the target and a read scope when the circuit is open, calls the target, and counts it', async () => {
    const onFallback = vi.fn();
    const { client, seen } = withFallback(onFallback);
    await expect(client.delegate({ ...reviewsCall('alice', '1'), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })).resolves.toEqual({ data: { direct: true } });
    const exchange = seen.find((request) => request.body.includes('token-exchange'))!;
    expect(Object.fromEntries(new URLSearchParams(exchange.body))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'token-of-alice',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'reviews',
      scope: 'reviews:read',
    });
    expect(exchange.headers.authorization).toMatch(/^Basic /);
    const direct = seen.find((request) => request.url === REVIEWS_URL)!;
    expect(direct.headers).toMatchObject({ authorization: 'Bearer direct-token', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(onFallback.mock.calls).toEqual([['reviews']]);
  });

  it('serves a batch with one exchange', async () => {
    const { client, seen } = withFallback();
    await Promise.all([client.delegate(reviewsCall('alice', '1')), client.delegate(reviewsCall('alice', '2'))]);
    expect(seen.filter((request) => request.body.includes('token-exchange'))).toHaveLength(1);
    expect(seen.filter((request) => request.url === REVIEWS_URL)).toHaveLength(2);
  });

  it('refuses a write scope or a mutation even where the broker policy allows it: read scopes and queries only', async () => {
    const onFallback = vi.fn();
    const { client, seen } = withFallback(onFallback);
    await expect(client.delegate({ ...reviewsCall('alice', '1'), scopes: ['reviews:write'] })).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    await expect(client.delegate(reviewsCall('alice', '1', 'mutation { deleteReview(id: "1") }'))).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(seen.filter((request) => request.body.includes('token-exchange'))).toEqual([]);
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('refuses a target the broker policy does not let this service call', async () => {
    const { client, seen } = withFallback();
    await expect(client.delegate({ ...reviewsCall('alice', '1'), target: 'inventory', scopes: ['inventory:read'] })).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(seen.filter((request) => request.body.includes('token-exchange'))).toEqual([]);
  });

  it('answers FALLBACK_FAILED when the authorization server refuses the direct exchange', async () => {
    const { client } = fakeBroker((request) => (request.url === TOKEN_ENDPOINT ? { status: 400, body: { error: 'invalid_scope' } } : brokerDown(request)), {
      circuit: { consecutiveFailures: 1 },
      fallback: { enabled: true, callers, targets: { reviews: { url: REVIEWS_URL } } },
    });
    await expect(client.delegate(reviewsCall('alice', '1'))).rejects.toMatchObject({ code: 'FALLBACK_FAILED', status: 400 });
  });
});
