import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { proxySubgraph, type FaultProxy } from '../helpers/faultProxy.js';

// Demand control: cost, not only shape. A query within every shape limit that nests lists
// through entity cycles is refused by its estimated cost before any exchange or fetch; the
// response size and one subject's requests in flight are capped; the cost is measured.

/** `aliases` copies of topProducts { reviews { product { reviews { ... } } } }, `levels` deep. */
function cycleQuery(aliases: number, levels: number): string {
  let review = 'id body';
  for (let i = 0; i < levels; i++) review = `id body product { upc name reviews { ${review} } }`;
  return `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: topProducts(first: 5) { upc reviews { ${review} } }`).join(' ')} }`;
}

describe('demand control', () => {
  let stack: TestStack;
  let proxy: FaultProxy;
  let alice: string;
  let bob: string;
  const ask = (token: string, query: string) => postGraphQL(stack.router.url, { query }, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    stack = await startStack({
      dataset: 'demo',
      routeSubgraph: proxySubgraph('inventory', (started) => (proxy = started)),
      routerConfig: (raw) => ({ ...raw, limits: { maxConcurrentPerSubject: 2 } }),
    });
    alice = await stack.auth.userToken('alice');
    bob = await stack.auth.userToken('bob');
  });
  afterAll(() => stack?.stop());

  it('refuses a nested entity cycle within every shape limit with 400 COST_TOO_HIGH, before any exchange or fetch', async () => {
    const query = cycleQuery(10, 6);
    const exchanges = stack.auth.exchanges();
    const fetches = stack.received.length;
    const response = await ask(alice, query);
    expect(response.status).toBe(400);
    const error = (response.json() as { errors: { extensions: { code: string; cost: number; limit: number } }[] }).errors[0];
    expect(error.extensions).toMatchObject({ code: 'COST_TOO_HIGH', limit: 50_000 });
    expect(error.extensions.cost).toBeGreaterThan(50_000);
    expect(stack.auth.exchanges()).toBe(exchanges);
    expect(stack.received.length).toBe(fetches);
  });

  it('lets the benchmark query and the README queries through with the default limits', async () => {
    for (const query of [
      BENCHMARK_QUERY,
      '{ topProducts { name price inStock reviews { body author { username } } } }',
      '{ me { username birthday } users { username birthday } }',
      '{ users { username reviewCount } }',
    ]) {
      const response = await ask(alice, query);
      expect([query.slice(0, 40), response.status]).toEqual([query.slice(0, 40), 200]);
    }
  });

  it('measures the estimated and the actual cost of each operation in deputy_operation_cost', async () => {
    await ask(alice, '{ topProducts(first: 2) { name } }');
    const metrics = await (await fetch(stack.router.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toMatch(/deputy_operation_cost_count\{kind="estimated"\} [1-9]/);
    expect(metrics).toMatch(/deputy_operation_cost_count\{kind="actual"\} [1-9]/);
    expect(metrics).toMatch(/deputy_requests_refused_total\{code="COST_TOO_HIGH"\} [1-9]|deputy_operation_cost_bucket\{le="50000",kind="estimated"\}/);
  });

  it("refuses a user's third request in flight with 429 TOO_MANY_REQUESTS and Retry-After, while another user is served", async () => {
    let release!: () => void;
    proxy.set({ kind: 'hold', until: new Promise<void>((resolve) => (release = resolve)) });
    const slow = '{ topProducts(first: 1) { inStock } }';
    try {
      const held = [ask(alice, slow), ask(alice, slow)];
      await expect.poll(() => proxy.hits('/graphql')).toBeGreaterThanOrEqual(2);
      const third = await ask(alice, slow);
      expect(third.status).toBe(429);
      expect(third.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_REQUESTS', limit: 2 } }] });
      const other = await ask(bob, '{ topProducts(first: 1) { name } }');
      expect(other.status).toBe(200);
      release();
      expect((await Promise.all(held)).map((response) => response.status)).toEqual([200, 200]);
      expect((await ask(alice, slow)).status).toBe(200);
    } finally {
      release();
      proxy.set({ kind: 'pass' });
    }
  });
});

describe('the response size cap', () => {
  let stack: TestStack;
  afterAll(() => stack?.stop());

  it('answers a response over limits.maxResponseBytes with 400 RESPONSE_TOO_LARGE', async () => {
    stack = await startStack({ routerConfig: (raw) => ({ ...raw, limits: { maxResponseBytes: 4096 } }) });
    const token = await stack.auth.userToken('alice');
    const small = await postGraphQL(stack.router.url, { query: '{ topProducts(first: 1) { name } }' }, { authorization: `Bearer ${token}` });
    expect(small.status).toBe(200);
    const big = await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${token}` });
    expect(big.status).toBe(400);
    expect(big.json()).toMatchObject({ errors: [{ extensions: { code: 'RESPONSE_TOO_LARGE', limit: 4096 } }] });
  });
});
