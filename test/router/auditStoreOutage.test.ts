import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { dropSchema, sql, uniqueSchema } from '../helpers/postgres.js';
import { cuttablePostgres } from '../helpers/cuttablePostgres.js';
import { sample } from '../helpers/metrics.js';

// The audit store away: the router keeps answering (the audit waits in memory), and what
// happened meanwhile is written once PostgreSQL is back.

const traceparent = (traceId: string) => `00-${traceId}-${'cd'.repeat(8)}-01`;

describe('the router with its audit store away', () => {
  const schema = uniqueSchema('audit_outage');
  let stack: TestStack;
  let relay: Awaited<ReturnType<typeof cuttablePostgres>>;
  const tracesWritten = async () => (await sql<{ trace_id: string }>(`SELECT DISTINCT trace_id FROM ${schema}.audit_events WHERE event = 'request'`)).map((row) => row.trace_id);
  const metric = async (name: string) => sample(await (await fetch(stack.router.metricsUrl)).text(), name);

  beforeAll(async () => {
    relay = await cuttablePostgres();
    stack = await startStack({ routerConfig: (config) => ({ ...config, audit: { sink: 'postgres', postgres: { url: relay.url, schema, flushIntervalMs: 100 } } }) });
  });
  afterAll(async () => {
    await stack?.stop();
    await relay?.cut();
    await dropSchema(schema);
  });

  it('answers every request while PostgreSQL is away, and writes their audit once it is back', { timeout: 40_000 }, async () => {
    const carol = await stack.auth.userToken('carol');
    const ask = (traceId: string) => postGraphQL(stack.router.url, { query: '{ topProducts(first: 2) { name inStock } }' }, { authorization: `Bearer ${carol}`, traceparent: traceparent(traceId) });
    expect((await ask('1'.repeat(32))).status).toBe(200);
    await expect.poll(tracesWritten, { timeout: 10_000 }).toContain('1'.repeat(32));

    await relay.cut();
    const away = Array.from({ length: 20 }, (_, i) => (i + 10).toString(16).padStart(2, '0').repeat(16));
    for (const traceId of away) {
      const started = performance.now();
      const response = await ask(traceId);
      expect(response.status).toBe(200);
      expect(response.json()).not.toHaveProperty('errors');
      // The audit never holds a request up (the exchange is cached: this is the subgraphs' round trip).
      expect(performance.now() - started).toBeLessThan(1000);
    }
    await expect.poll(() => metric('deputy_audit_buffered')).toBeGreaterThan(0);
    expect(await tracesWritten()).not.toContain(away[0]);

    relay = await cuttablePostgres(relay.port);
    await expect.poll(tracesWritten, { timeout: 15_000 }).toEqual(expect.arrayContaining(away));
    await expect.poll(() => metric('deputy_audit_buffered')).toBe(0);
    expect(await metric('deputy_audit_overflow_total{outcome="dropped"}')).toBe(0);
  });
});
