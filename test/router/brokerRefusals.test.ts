import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { serviceAccessToken } from '../helpers/delegatedTokens.js';

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;

describe('the broker refuses clearly, with typed statuses and codes', () => {
  let stack: TestStack;
  let delegateUrl: string;
  const serviceToken = (id: string) => serviceAccessToken(stack.auth, id);
  const heldBy = async (user: string, subgraph: string, query: string) => {
    const token = await stack.auth.userToken(user);
    stack.received.length = 0;
    await postGraphQL(stack.router.url, { query }, { authorization: `Bearer ${token}` });
    return stack.received.filter((r) => r.subgraph === subgraph).map((r) => r.authorization[0].replace(/^Bearer /, ''));
  };
  const delegate = async (service: string, body: Record<string, unknown>) => {
    const response = await fetch(delegateUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await serviceToken(service)}` },
      body: JSON.stringify({ scopes: [], request: { query: '{ __typename }' }, ...body }),
    });
    const text = await response.text();
    expect(text).not.toMatch(JWT_LIKE);
    return { status: response.status, retryAfter: response.headers.get('retry-after'), extensions: (JSON.parse(text) as { errors?: { extensions: Record<string, unknown> }[] }).errors?.[0]?.extensions };
  };

  beforeAll(async () => {
    stack = await startStack({
      dataset: 'demo',
      routerConfig: (c) => ({
        ...c,
        // Brokered answers are capped like any answer of the target (small here, to reach it).
        subgraphs: { ...c.subgraphs, reviews: { ...c.subgraphs.reviews, maxResponseBytes: 4096 } },
        exchange: { ...c.exchange, circuitBreaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } },
        broker: {
          callers: {
            'accounts-service': { subgraph: 'accounts', targets: { reviews: ['reviews:read'], payments: [] } },
            'reviews-service': { subgraph: 'reviews', targets: { accounts: [], inventory: [] } },
          },
        },
      }),
    });
    delegateUrl = stack.router.url.replace(/\/graphql$/, '/delegate');
  });
  afterAll(() => stack?.stop());

  it('answers 400 for a malformed body', async () => {
    const response = await delegate('accounts-service', { target: 42 });
    expect(response.status).toBe(400);
    expect(response.extensions?.code).toBe('BAD_REQUEST');
  });

  it('authenticates the caller before reading its body: 401, not 400, for a malformed body without a service token', async () => {
    const response = await fetch(delegateUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"subjectToken": [[[' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('answers 404 UNKNOWN_TARGET for the target %s (no prototype name matches)', async (target) => {
    const [held] = await heldBy('alice', 'accounts', '{ users { username } }');
    const response = await delegate('accounts-service', { subjectToken: held, target });
    expect(response).toMatchObject({ status: 404, extensions: { code: 'UNKNOWN_TARGET' } });
  });

  it('applies the request limits and the cost limit of /graphql to the brokered operation, before any exchange', async () => {
    const [held] = await heldBy('alice', 'accounts', '{ users { username } }');
    const exchanges = stack.auth.exchanges();
    const deep = `{ ${'a { '.repeat(20)}b${' }'.repeat(20)} }`;
    expect(await delegate('accounts-service', { subjectToken: held, target: 'reviews', request: { query: deep } })).toMatchObject({ status: 400, extensions: { code: 'QUERY_TOO_DEEP' } });
    const costly = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { product { reviews { product { reviews { id } } } } } } } }';
    const representations = Array.from({ length: 500 }, (_, i) => ({ __typename: 'User', id: String(i) }));
    const response = await delegate('accounts-service', { subjectToken: held, target: 'reviews', scopes: ['reviews:read'], request: { query: costly, variables: { r: representations } } });
    expect(response).toMatchObject({ status: 400, extensions: { code: 'COST_TOO_HIGH', limit: 50_000 } });
    expect(stack.auth.exchanges()).toBe(exchanges);
  });

  it('refuses a batch over broker.maxBatchSize with 400 BATCH_TOO_LARGE, and a body with both forms or an empty batch with 400 BAD_REQUEST, before any exchange', async () => {
    const [held] = await heldBy('alice', 'accounts', '{ users { username } }');
    const exchanges = stack.auth.exchanges();
    const requests = (n: number) => Array.from({ length: n }, () => ({ query: '{ __typename }' }));
    const base = { subjectToken: held, target: 'reviews', scopes: ['reviews:read'], request: undefined };
    expect(await delegate('accounts-service', { ...base, requests: requests(51) })).toMatchObject({ status: 400, extensions: { code: 'BATCH_TOO_LARGE', limit: 50 } });
    expect(await delegate('accounts-service', { ...base, requests: [] })).toMatchObject({ status: 400, extensions: { code: 'BAD_REQUEST' } });
    expect(await delegate('accounts-service', { ...base, request: { query: '{ __typename }' }, requests: requests(1) })).toMatchObject({ status: 400, extensions: { code: 'BAD_REQUEST' } });
    expect(stack.auth.exchanges()).toBe(exchanges);
  });

  it('adds up the estimated cost of a batch: operations each under the limit, together over it, are refused with COST_TOO_HIGH', async () => {
    const [held] = await heldBy('alice', 'accounts', '{ users { username } }');
    const exchanges = stack.auth.exchanges();
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { product { upc } } } } }';
    const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: 'User', id: String(i) }));
    const one = { query, variables: { r: representations } };
    const single = await delegate('accounts-service', { subjectToken: held, target: 'reviews', scopes: ['reviews:read'], request: one });
    expect(single.extensions?.code).not.toBe('COST_TOO_HIGH');
    const batch = await delegate('accounts-service', { subjectToken: held, target: 'reviews', scopes: ['reviews:read'], request: undefined, requests: Array.from({ length: 50 }, () => one) });
    expect(batch).toMatchObject({ status: 400, extensions: { code: 'COST_TOO_HIGH', limit: 50_000 } });
    // The single operation was served (one exchange); the batch was refused before any.
    expect(stack.auth.exchanges()).toBeLessThanOrEqual(exchanges + 1);
  });

  it("caps a brokered answer at the target's maxResponseBytes: 502 TARGET_FAILED response_too_large", async () => {
    const [held] = await heldBy('alice', 'accounts', '{ users { username } }');
    const representations = Array.from({ length: 9 }, (_, i) => ({ __typename: 'User', id: String(i + 1) }));
    const wide = `query($r: [_Any!]!) { ${Array.from({ length: 8 }, (_, i) => `a${i}: _entities(representations: $r) { ... on User { reviews { id body } } }`).join(' ')} }`;
    const response = await delegate('accounts-service', { subjectToken: held, target: 'reviews', scopes: ['reviews:read'], request: { query: wide, variables: { r: representations } } });
    expect(response).toMatchObject({ status: 502, extensions: { code: 'TARGET_FAILED', reason: 'response_too_large' } });
  });

  it('answers 404 for a target that is allowed but not registered', async () => {
    const [held] = await heldBy('alice', 'accounts', '{ users { username } }');
    const response = await delegate('accounts-service', { subjectToken: held, target: 'payments' });
    expect(response).toMatchObject({ status: 404, extensions: { code: 'UNKNOWN_TARGET' } });
  });

  it('refuses a chain that would revisit a service, and one deeper than the limit', async () => {
    // The token reviews received inside a brokered call already carries accounts in its chain.
    await heldBy('alice', 'reviews', '{ me { reviewCount } }');
    const brokered = stack.received.filter((r) => r.subgraph === 'reviews').map((r) => r.authorization[0].replace(/^Bearer /, ''));
    const held = brokered.find((token) => (claimsOf(token).act as { act?: unknown }).act)!;
    const loop = await delegate('reviews-service', { subjectToken: held, target: 'accounts' });
    expect(loop).toMatchObject({ status: 403, extensions: { code: 'DELEGATION_LOOP', rule: 'broker: no service twice in one chain' } });
    const deep = await delegate('reviews-service', { subjectToken: held, target: 'inventory' });
    expect(deep).toMatchObject({ status: 403, extensions: { code: 'DELEGATION_DEPTH', rule: 'broker.maxDepth' } });
  });

  it('answers 502 when the target fails', async () => {
    const [held] = await heldBy('carol', 'accounts', '{ users { username } }');
    await stack.subgraphs.find((s) => s.name === 'reviews')!.stop();
    const response = await delegate('accounts-service', { subjectToken: held, target: 'reviews' });
    expect(response).toMatchObject({ status: 502, extensions: { code: 'TARGET_FAILED', reason: 'unreachable' } });
  });

  it('answers 503 with Retry-After while the authorization server is down', async () => {
    const [held] = await heldBy('bob', 'accounts', '{ users { username } }');
    const service = await serviceToken('accounts-service');
    await stack.auth.server.stop();
    try {
      const response = await fetch(delegateUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${service}` },
        body: JSON.stringify({ subjectToken: held, target: 'reviews', scopes: [], request: { query: '{ __typename }' } }),
      });
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(response.status).toBe(503);
      expect(body.errors[0].extensions.code).toBe('DELEGATION_UNAVAILABLE');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await stack.auth.restart();
    }
  });
});
