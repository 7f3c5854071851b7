import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { postGraphQL } from '../helpers/graphql.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/faultProxy.js';

// Faults at the token endpoint (a proxy in front of the real authorization server): the router
// stays up, answers with typed per-subgraph errors within its exchange timeout, keeps the data
// it could get, and recovers as soon as the fault ends.

interface Result {
  status: number;
  data?: { users?: { name: string }[] | null; topProducts?: { name: string; inStock: boolean | null }[] | null };
  errors?: { message: string; extensions: { code: string; subgraph?: string; reason?: string } }[];
}

const QUERY = '{ users { name } topProducts { name inStock } }';
const EXCHANGE_TIMEOUT_MS = 400;

describe('authorization server faults', () => {
  let auth: TestAuth;
  let proxy: FaultProxy;
  let stack: TestStack;

  beforeAll(async () => {
    auth = await startAuth();
    proxy = await startFaultProxy(auth.issuer);
    stack = await startStack({
      auth,
      routerConfig: (config) => ({
        ...config,
        // The circuit stays closed here so each fault shows its own reason (the circuit has its own test).
        exchange: { ...config.exchange, tokenEndpoint: `${proxy.origin}/token`, timeoutMs: EXCHANGE_TIMEOUT_MS, circuitBreaker: { consecutiveFailures: 1000 } },
      }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
    await auth?.stop();
  });

  // A fresh user token each time, so no cached subgraph token hides the fault.
  const query = async (): Promise<Result> => {
    const token = await auth.userToken('alice');
    const response = await postGraphQL(stack.router.url, { query: QUERY }, { authorization: `Bearer ${token}` });
    return { status: response.status, ...(response.json() as Omit<Result, 'status'>) };
  };
  const expectHealthy = async () => {
    expect((await fetch(stack.router.url.replace('/graphql', '/health'))).status).toBe(200);
    proxy.set({ kind: 'pass' });
    const recovered = await query();
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data?.topProducts?.[0].inStock).toEqual(expect.any(Boolean));
  };

  const FAULTS: { name: string; fault: Fault; reason: string }[] = [
    { name: 'down (connection dropped)', fault: { kind: 'drop' }, reason: 'unreachable' },
    { name: 'slow past the exchange timeout', fault: { kind: 'delay', ms: 3000 }, reason: 'timeout' },
    { name: 'answering 429', fault: { kind: 'answer', status: 429, body: '{"error":"temporarily_unavailable"}' }, reason: 'rate_limited' },
    { name: 'answering 500 with an HTML page', fault: { kind: 'answer', status: 500, body: '<html>oops</html>', contentType: 'text/html' }, reason: 'server_error' },
    { name: 'answering 200 with a malformed body', fault: { kind: 'answer', status: 200, body: '{"access_token": ' }, reason: 'bad_response' },
    { name: 'answering 200 without a token', fault: { kind: 'answer', status: 200, body: '{"token_type":"Bearer"}' }, reason: 'bad_response' },
  ];

  it.each(FAULTS)('token endpoint $name: DELEGATION_UNAVAILABLE $reason for every subgraph, then recovery', async ({ fault, reason }) => {
    proxy.set(fault);
    // The client gives up long before a 3 s fault would end: the router must not wait for it.
    const result = await Promise.race([query(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('router hung')), 2500))]);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ users: null, topProducts: null });
    expect(result.errors!.length).toBeGreaterThan(0);
    for (const error of result.errors!) expect(error.extensions).toMatchObject({ code: 'DELEGATION_UNAVAILABLE', reason });
    await expectHealthy();
  });

  it('a fault on one audience only (inventory) nulls only its fields; the rest of the data arrives', async () => {
    proxy.set({ kind: 'answer', status: 503, body: '' }, (body) => body.includes('audience=inventory'));
    const result = await query();
    expect(result.data?.users?.length).toBeGreaterThan(0);
    expect(result.data?.topProducts?.map((product) => product.name).every(Boolean)).toBe(true);
    expect(result.data?.topProducts?.every((product) => product.inStock === null)).toBe(true);
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code: 'DELEGATION_UNAVAILABLE', subgraph: 'inventory', reason: 'server_error' }]);
    await expectHealthy();
  });
});
