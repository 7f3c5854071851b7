import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { foldPath } from '../../router/trace/foldPath.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

interface Body {
  data?: Record<string, unknown>;
  errors?: unknown[];
  extensions?: { delegationTrace?: DelegationTrace; warnings?: { code: string; message: string }[] };
}

/** Every folded field path of a response's data. */
function dataPaths(value: unknown, prefix: (string | number)[] = [], out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item, index) => dataPaths(item, [...prefix, index], out));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      out.add(foldPath([...prefix, key]));
      dataPaths(child, [...prefix, key], out);
    }
  }
  return out;
}

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;

describe('the delegation trace', () => {
  let stack: TestStack;
  let alice: string;
  const traced = async (token: string, query: string, extra: Record<string, string> = {}) =>
    (await postGraphQL(stack.router.url, { query }, { authorization: `Bearer ${token}`, 'x-delegation-trace': '1', ...extra })).json() as Body;

  beforeAll(async () => {
    stack = await startStack({
      dataset: 'demo',
      routerConfig: (c) => ({ ...c, subgraphs: { ...c.subgraphs, products: { ...c.subgraphs.products, audience: 'not-a-subgraph' } } }),
    });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it('is absent without the header', async () => {
    const body = (await postGraphQL(stack.router.url, { query: '{ users { id } }' }, { authorization: `Bearer ${alice}` })).json() as Body;
    expect(body.extensions).toBeUndefined();
  });

  it('is withheld, with a warning and no error, from a caller without trace:read', async () => {
    const noTrace = await stack.auth.userToken('bob', 'openid accounts:read');
    const body = await traced(noTrace, '{ users { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.delegationTrace).toBeUndefined();
    expect(body.extensions?.warnings).toEqual([{ code: 'DELEGATION_TRACE_NOT_ALLOWED', message: 'No delegation trace: a delegation trace needs the trace:read scope.' }]);
  });

  it('shows the rule that denied a field, and a delegation refused by the auth server as denied with its OAuth error', async () => {
    const body = await traced(alice, '{ users { username birthday } topProducts { name } }');
    const trace = body.extensions!.delegationTrace!;
    expect(trace.fields['users.@.birthday'].denied).toEqual({ rule: 'scope accounts:read and (the user themself or role support)' });
    expect(trace.fields['users.@.username'].denied).toBeUndefined();
    const accounts = trace.fetches.find((f) => f.subgraph === 'accounts')!;
    expect(accounts.authorization).toContainEqual({ field: 'User.birthday', decision: 'deny', rule: 'scope accounts:read and (the user themself or role support)', roles: ['support'], count: 8 });
    const products = trace.fetches.find((f) => f.subgraph === 'products')!;
    expect(products).toMatchObject({ outcome: 'denied', reason: 'invalid_target', resolvedFields: ['topProducts'] });
    for (const path of dataPaths(body.data)) expect(trace.fields[path], path).toBeDefined();
    expect(trace.fields.topProducts.subgraph).toBe('products');
  });
});

describe('the delegation trace of the benchmark query', () => {
  let stack: TestStack;
  let body: Body;
  let trace: DelegationTrace;

  beforeAll(async () => {
    stack = await startStack();
    const alice = await stack.auth.userToken('alice');
    stack.received.length = 0;
    body = (await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${alice}`, 'x-delegation-trace': '1' })).json() as Body;
    trace = body.extensions!.delegationTrace!;
  });
  afterAll(() => stack?.stop());

  it('has one fetch entry per fetch of the query plan, for the same subgraphs', () => {
    expect(trace.version).toBe(1);
    expect(trace.fetches).toHaveLength(16);
    const count = (list: string[]) => list.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    expect(count(trace.fetches.map((f) => f.subgraph))).toEqual({ accounts: 3, inventory: 7, products: 4, reviews: 2 });
    expect(count(trace.fetches.map((f) => f.subgraph))).toEqual(count(stack.received.map((r) => r.subgraph)));
    for (const fetch of trace.fetches) {
      expect(fetch).toMatchObject({ outcome: 'ok', audience: fetch.subgraph, actorChain: ['deputy-router'] });
      expect(['cache', 'coalesced', 'exchange']).toContain(fetch.token?.source);
      expect(fetch.token?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    }
    expect(trace.fetches.filter((f) => f.token?.source === 'exchange').length).toBeLessThanOrEqual(4);
  });

  it('maps every field path of the response to the chain that produced it', () => {
    const paths = [...dataPaths(body.data)];
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) expect(trace.fields[path], path).toBeDefined();
    const inStock = trace.fields['users.@.reviews.@.product.inStock'];
    expect(inStock.subgraph).toBe('inventory');
    expect(inStock.chain.map((hop) => hop.party)).toEqual(['alice', 'deputy-router', 'inventory']);
    expect(inStock.chain[2].audience).toBe('inventory');
    expect(trace.fields['users.@.name'].subgraph).toBe('accounts');
    expect(trace.fields['topProducts.@.reviews.@.author.reviews.@.product.name'].subgraph).toBe('products');
    expect(trace.request).toMatchObject({ subject: 'alice', clientId: 'web-app', operationName: 'TestQuery' });
  });

  it('sends its trace id to every subgraph as W3C traceparent', () => {
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(stack.received.every((r) => r.traceparent?.startsWith(`00-${trace.traceId}-`))).toBe(true);
  });

  it('holds no token and nothing that looks like a JWT, and no key named errors', () => {
    const text = JSON.stringify(trace);
    expect(text).not.toMatch(JWT_LIKE);
    expect(text).not.toContain('"errors"');
  });
});
