import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { claimsOf, errorCodes } from '../helpers/decode.js';

describe('the router exchanges the caller token for each subgraph', () => {
  let stack: TestStack;
  let alice: string;
  const query = (token: string, query = BENCHMARK_QUERY) => postGraphQL(stack.router.url, { query }, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it('sends each subgraph a token for its own audience, for the caller, with the router as actor, never the caller token', async () => {
    stack.received.length = 0;
    const response = await query(alice);
    expect(response.status).toBe(200);
    expect(errorCodes(response.json())).toEqual([]);
    const bySubgraph = new Map<string, Set<string>>();
    for (const request of stack.received) {
      expect(request.authorization).toHaveLength(1);
      const token = request.authorization[0].replace(/^Bearer /, '');
      expect(token).not.toBe(alice);
      expect(claimsOf(token)).toMatchObject({ aud: request.subgraph, sub: 'alice', client_id: 'deputy-router', act: { sub: 'deputy-router' } });
      bySubgraph.set(request.subgraph, (bySubgraph.get(request.subgraph) ?? new Set()).add(token));
    }
    // The plan fetches all four subgraphs, several times each, with one token per subgraph.
    expect([...bySubgraph.keys()].sort()).toEqual(['accounts', 'inventory', 'products', 'reviews']);
    expect(stack.received.length).toBe(16);
    for (const tokens of bySubgraph.values()) expect(tokens.size).toBe(1);
  });

  it('has subgraphs that refuse a token issued for another audience and the caller token itself', async () => {
    await query(alice);
    const accountsToken = stack.received.find((request) => request.subgraph === 'accounts')!.authorization[0];
    const inventory = stack.subgraphs.find((subgraph) => subgraph.name === 'inventory')!;
    for (const authorization of [accountsToken, `Bearer ${alice}`]) {
      const response = await postGraphQL(inventory.url, { query: '{ __typename }' }, { authorization });
      expect(response.status).toBe(401);
      expect(errorCodes(response.json())).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('costs one exchange per distinct subgraph cold and none on a repeat with the same token', async () => {
    const carol = await stack.auth.userToken('carol');
    const before = stack.auth.exchanges();
    await query(carol);
    expect(stack.auth.exchanges() - before).toBe(4);
    await query(carol);
    await query(carol);
    expect(stack.auth.exchanges() - before).toBe(4);
  });

  it('never shares a cached token between two users', async () => {
    const bob = await stack.auth.userToken('bob');
    const dotan = await stack.auth.userToken('dotansimha');
    await query(bob);
    const before = stack.auth.exchanges();
    stack.received.length = 0;
    await query(dotan);
    expect(stack.auth.exchanges() - before).toBe(4);
    expect(stack.received.every((request) => claimsOf(request.authorization[0].replace(/^Bearer /, '')).sub === 'dotansimha')).toBe(true);
  });

  it('gives a subgraph only the scopes it may receive that the caller holds', async () => {
    const narrow = await stack.auth.userToken('bob', 'openid inventory:read reviews:read');
    stack.received.length = 0;
    await query(narrow, '{ topProducts { name inStock reviews { body } } }');
    const scopeOf = (subgraph: string) => claimsOf(stack.received.find((r) => r.subgraph === subgraph)!.authorization[0].replace(/^Bearer /, '')).scope;
    expect(scopeOf('inventory')).toBe('inventory:read');
    expect(scopeOf('reviews')).toBe('reviews:read');
    expect(scopeOf('products')).toBeUndefined();
  });

  it('answers 401 UNAUTHENTICATED without calling any subgraph or exchanging when the token is missing or bad', async () => {
    const before = stack.auth.exchanges();
    stack.received.length = 0;
    const missing = await postGraphQL(stack.router.url, { query: '{ users { id } }' });
    const garbage = await query('not.a.token');
    const tampered = await query(`${alice.slice(0, -4)}AAAA`);
    for (const response of [missing, garbage, tampered]) {
      expect(response.status).toBe(401);
      expect(errorCodes(response.json())).toEqual(['UNAUTHENTICATED']);
    }
    expect(stack.received).toEqual([]);
    expect(stack.auth.exchanges()).toBe(before);
    expect(missing.text).not.toContain(alice);
  });
});
