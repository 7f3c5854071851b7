import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { InvalidTokenError } from '../../lib/verifyAccessToken.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

const QUERY = '{ topProducts { upc name inStock } users { username } }';

interface GraphQLBody {
  data?: { topProducts?: { upc: string; name: string; inStock: boolean | null }[] | null; users?: { username: string }[] | null };
  errors?: { message: string; extensions: { code: string; subgraph?: string; reason?: string } }[];
  extensions?: { delegationTrace?: DelegationTrace };
}

describe('delegation failures are per subgraph, clear and recoverable', () => {
  let stack: TestStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  const run = async (s: TestStack, token: string, headers: Record<string, string> = {}) =>
    (await postGraphQL(s.router.url, { query: QUERY }, { authorization: `Bearer ${token}`, ...headers })).json() as GraphQLBody;

  it('nulls the fields of a subgraph the policy forbids with DELEGATION_DENIED, and returns the rest', async () => {
    stack = await startStack({ routerConfig: (c) => ({ ...c, subgraphs: { ...c.subgraphs, inventory: { ...c.subgraphs.inventory, allowedClients: ['some-other-app'] } } }) });
    const before = stack.auth.exchanges();
    const body = await run(stack, await stack.auth.userToken('alice'));
    expect(body.data?.topProducts?.map((p) => p.name)).toEqual(['Table', 'Couch', 'Glass', 'Chair', 'TV']);
    expect(body.data?.topProducts?.every((p) => p.inStock === null)).toBe(true);
    expect(body.data?.users).toHaveLength(6);
    expect(body.errors?.map((e) => e.extensions)).toEqual([{ code: 'DELEGATION_DENIED', subgraph: 'inventory', reason: 'policy' }]);
    // No exchange is attempted for a subgraph the policy forbids.
    expect(stack.auth.exchanges() - before).toBe(2);
    expect(stack.received.some((request) => request.subgraph === 'inventory')).toBe(false);
  });

  it('reports an exchange the authorization server refuses as DELEGATION_DENIED with the OAuth error', async () => {
    stack = await startStack({ routerConfig: (c) => ({ ...c, subgraphs: { ...c.subgraphs, inventory: { ...c.subgraphs.inventory, audience: 'payments' } } }) });
    const body = await run(stack, await stack.auth.userToken('alice'));
    expect(body.data?.users).toHaveLength(6);
    expect(body.errors?.map((e) => e.extensions)).toEqual([{ code: 'DELEGATION_DENIED', subgraph: 'inventory', reason: 'invalid_target' }]);
    expect(body.errors?.[0].message).not.toMatch(/eyJ/);
  });

  it('fails fast with DELEGATION_UNAVAILABLE while the auth server is down, stays up, and recovers when it is back', async () => {
    stack = await startStack({ routerConfig: (c) => ({ ...c, exchange: { ...c.exchange, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 200 } } }) });
    const warm = await run(stack, await stack.auth.userToken('alice'));
    expect(warm.errors).toBeUndefined();
    const users = await Promise.all(['bob', 'carol', 'urigo'].map((user) => stack!.auth.userToken(user)));

    await stack.auth.server.stop();
    const down = await run(stack, users[0]);
    expect(down.data).toEqual({ topProducts: null, users: null });
    const reasons = new Set(down.errors?.map((e) => `${e.extensions.code}:${e.extensions.reason}`));
    // Refused connections and an open circuit, not timeouts: the outage fails fast.
    for (const reason of reasons) expect(reason).toMatch(/^DELEGATION_UNAVAILABLE:(unreachable|circuit_open)$/);
    const again = await run(stack, users[1]);
    expect(again.errors?.every((e) => e.extensions.reason === 'circuit_open')).toBe(true);
    const health = await fetch(stack.router.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);

    await stack.auth.restart();
    await sleep(300);
    const recovered = await run(stack, users[2]);
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data?.users).toHaveLength(6);
  });

  it('retries once with a fresh exchange when a subgraph refuses a cached token, and never loops', async () => {
    const revoked = new Set<string>();
    let refuseEverything = false;
    stack = await startStack({
      wrapVerifier: (subgraph, verifier) =>
        subgraph !== 'inventory'
          ? verifier
          : {
              async verify(credential) {
                const verified = await verifier.verify(credential);
                if (refuseEverything || revoked.has(verified.tokenId)) throw new InvalidTokenError('revoked');
                return verified;
              },
            },
    });
    const alice = await stack.auth.userToken('alice');
    await run(stack, alice);
    const first = stack.received.find((request) => request.subgraph === 'inventory')!.authorization[0].replace(/^Bearer /, '');
    revoked.add(String(claimsOf(first).jti));

    stack.received.length = 0;
    const before = stack.auth.exchanges();
    const retried = await run(stack, alice, { 'x-delegation-trace': '1' });
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.topProducts?.[0].inStock).toBe(true);
    expect(stack.auth.exchanges() - before).toBe(1);
    // The trace shows the token the fetch was sent with: the retry's own exchange, run after the fetch began and before it was sent again.
    const inventory = retried.extensions!.delegationTrace!.fetches.find((fetch) => fetch.subgraph === 'inventory')!;
    expect(inventory.token).toMatchObject({ source: 'exchange', obtained: 'exchanged' });
    expect(inventory.token!.requestStartMs!).toBeGreaterThanOrEqual(inventory.startMs);
    expect(inventory.sentMs!).toBeGreaterThanOrEqual(inventory.token!.requestEndMs!);
    const inventoryCalls = stack.received.filter((request) => request.subgraph === 'inventory');
    expect(inventoryCalls).toHaveLength(2);
    expect(inventoryCalls[0].authorization[0]).not.toBe(inventoryCalls[1].authorization[0]);

    refuseEverything = true;
    stack.received.length = 0;
    const refused = await run(stack, alice);
    expect(refused.errors?.map((e) => [e.extensions.code, e.extensions.reason])).toEqual([['SUBGRAPH_REFUSED', 'http_401']]);
    expect(stack.received.filter((request) => request.subgraph === 'inventory')).toHaveLength(2);
  });
});
