import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { captureLogger } from '../helpers/captureLogger.js';

// Real stack over loopback; the fault is one component of the running router made to throw
// what it never should (a bug), to see the router answer, and log, as it must.

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('a fault in the router is logged with the trace id of the request', () => {
  let stack: TestStack;
  let alice: string;
  const logs = captureLogger();
  const linesWithTrace = () => logs.lines().filter((line) => line.traceId === TRACE_ID);

  beforeAll(async () => {
    stack = await startStack({ logger: logs.logger });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it('answers a 500 without details and logs it, error and trace id, once, with no token', async () => {
    const team = String(
      (await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: 'schema:publish' }, { id: 'inventory-team', secret: stack.auth.secret('inventory-team') })).body
        .access_token,
    );
    const serialize = vi.spyOn(stack.router.schema, 'serialize').mockRejectedValueOnce(new Error('schema store is on fire'));
    const response = await fetch(stack.router.url.replace(/\/graphql$/, '/admin/schema'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${team}`, traceparent: TRACEPARENT },
      // A publish that passes every check, then fails where the router serves it.
      body: JSON.stringify({ subgraph: 'inventory', sdl: readFileSync('schema/inventory.graphql', 'utf8') }),
    });
    serialize.mockRestore();
    expect(response.status).toBe(500);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const lines = linesWithTrace();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, path: '/admin/schema', method: 'POST', error: { message: 'schema store is on fire' } });
    expect(logs.text()).not.toContain(team.split('.')[2]);
  });

  it('logs a GraphQL INTERNAL_SERVER_ERROR under the trace id the request carried, and still answers the rest', async () => {
    const tokenFor = vi.spyOn(stack.router.exchanger, 'tokenFor').mockRejectedValue(new TypeError('cannot read the cache entry'));
    const before = linesWithTrace().length;
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts { upc name } }' }, { authorization: `Bearer ${alice}`, traceparent: TRACEPARENT });
    tokenFor.mockRestore();
    const errors = (response.json().errors ?? []) as { extensions?: { code?: string } }[];
    expect(errors.map((error) => error.extensions?.code)).toContain('INTERNAL_SERVER_ERROR');
    const lines = linesWithTrace().slice(before);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ level: 50, message: 'internal error in a GraphQL request' });
    expect(JSON.stringify(lines)).toContain('cannot read the cache entry');
    expect(logs.text()).not.toContain(alice.split('.')[2]);
  });
});
