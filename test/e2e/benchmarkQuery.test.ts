import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';

const expected = JSON.parse(readFileSync(new URL('../fixtures/expected-response.json', import.meta.url), 'utf8'));

describe('the benchmark query through the router', () => {
  let stack: TestStack;
  let bearer: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack();
    bearer = { authorization: `Bearer ${await stack.auth.userToken('alice')}` };
  });
  afterAll(() => stack?.stop());

  it('returns the public benchmark expected response byte for byte', async () => {
    const response = await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, bearer);
    expect(response.status).toBe(200);
    // Compact JSON compares values and field order; the published answer is 87,599 bytes.
    const compact = JSON.stringify(response.json());
    expect(compact).toBe(JSON.stringify(expected));
    expect(Buffer.byteLength(compact)).toBe(87_599);
  });

  it('passes arguments through to the subgraph that owns the field', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts(first: 2) { upc name inStock } }' }, bearer);
    expect(response.json()).toEqual({
      data: { topProducts: [{ upc: '1', name: 'Table', inStock: true }, { upc: '2', name: 'Couch', inStock: false }] },
    });
  });
});
