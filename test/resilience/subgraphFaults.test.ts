import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { proxySubgraph, type Fault, type FaultProxy } from '../helpers/faultProxy.js';

// Faults at one subgraph (inventory, behind a proxy): the router stays up, answers within
// the subgraph's timeout with the other subgraphs' data and a typed error for inventory's
// fields, never relays the subgraph's body or URL, and recovers when the fault ends.

interface Result {
  status: number;
  text: string;
  data?: { topProducts?: { name: string; inStock: boolean | null }[] | null };
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const TIMEOUT_MS = 500;
const MAX_RESPONSE_BYTES = 256 * 1024;
const huge = `{"data":{"_entities":[${Array.from({ length: 40_000 }, () => '{"inStock":true}').join(',')}]}}`;

describe('subgraph faults', () => {
  let proxy: FaultProxy;
  let stack: TestStack;
  let alice: string;

  beforeAll(async () => {
    stack = await startStack({
      routeSubgraph: proxySubgraph('inventory', (started) => (proxy = started)),
      routerConfig: (config) => ({
        ...config,
        subgraphs: { ...config.subgraphs, inventory: { ...config.subgraphs.inventory, timeoutMs: TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES } },
      }),
    });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  const query = async (): Promise<Result> => {
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts { name inStock } }' }, { authorization: `Bearer ${alice}` });
    return { status: response.status, text: response.text, ...(response.json() as Omit<Result, 'status' | 'text'>) };
  };

  const FAULTS: { name: string; fault: Fault; code: string; reason: string }[] = [
    { name: 'down (connection dropped)', fault: { kind: 'drop' }, code: 'SUBGRAPH_UNAVAILABLE', reason: 'unreachable' },
    { name: 'slow past its timeout', fault: { kind: 'delay', ms: 3000 }, code: 'SUBGRAPH_UNAVAILABLE', reason: 'timeout' },
    { name: 'answering 401', fault: { kind: 'answer', status: 401, body: '{"errors":[{"message":"secret-detail"}]}' }, code: 'SUBGRAPH_REFUSED', reason: 'http_401' },
    { name: 'answering 500', fault: { kind: 'answer', status: 500, body: '{"errors":[{"message":"secret-detail"}]}' }, code: 'SUBGRAPH_UNAVAILABLE', reason: 'http_500' },
    { name: 'answering invalid JSON', fault: { kind: 'answer', status: 200, body: '{"data": secret-detail' }, code: 'SUBGRAPH_UNAVAILABLE', reason: 'invalid_response' },
    { name: 'answering a huge body (declared)', fault: { kind: 'answer', status: 200, body: huge }, code: 'SUBGRAPH_UNAVAILABLE', reason: 'response_too_large' },
    { name: 'answering a huge body (chunked)', fault: { kind: 'answer', status: 200, body: huge, chunked: true }, code: 'SUBGRAPH_UNAVAILABLE', reason: 'response_too_large' },
  ];

  it.each(FAULTS)('inventory $name: $code $reason, the products data kept, then recovery', async ({ fault, code, reason }) => {
    proxy.set(fault);
    const result = await Promise.race([query(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('router hung')), 2500))]);
    expect(result.status).toBe(200);
    expect(result.data?.topProducts?.length).toBeGreaterThan(0);
    expect(result.data?.topProducts?.every((product) => product.name && product.inStock === null)).toBe(true);
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code, subgraph: 'inventory', reason }]);
    expect(result.text).not.toContain('secret-detail');
    expect(result.text).not.toContain(proxy.origin);

    expect((await fetch(stack.router.url.replace('/graphql', '/health'))).status).toBe(200);
    proxy.set({ kind: 'pass' });
    const recovered = await query();
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data?.topProducts?.every((product) => typeof product.inStock === 'boolean')).toBe(true);
  });
});
