import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { sample } from '../helpers/metrics.js';

// What a Prometheus scrape of GET /metrics shows: Node's metrics under their standard names, the
// request latency by operation and client with bounded label values, denials, broker calls, and
// the served supergraph.

const DENIED_BY = 'scope accounts:read and (the user themself or role support)';

describe('the Prometheus metrics', () => {
  let stack: TestStack;
  let alice: string;
  const scrape = async () => (await fetch(stack.router.metricsUrl)).text();
  const ask = (query: string, operationName?: string) => postGraphQL(stack.router.url, { query, operationName }, { authorization: `Bearer ${alice}` });
  const seriesOf = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo', routerConfig: (c) => ({ ...c, metrics: { maxOperationNames: 2 } }) });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it("serves Node's default metrics under their standard names, unprefixed", async () => {
    const text = await scrape();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(seriesOf(text, name), name).not.toEqual([]);
    }
    expect(text).not.toMatch(/^deputy_process_|^deputy_nodejs_/m);
  });

  it('times requests by operation name and client id, anonymous operations as __anonymous__', async () => {
    const before = await scrape();
    await ask('query Usernames { users { username } }');
    await ask('{ users { id } }');
    const after = await scrape();
    const count = (text: string, operation: string) => sample(text, `deputy_request_duration_seconds_count{operation="${operation}",client="web-app"}`);
    expect(count(after, 'Usernames') - count(before, 'Usernames')).toBe(1);
    expect(count(after, '__anonymous__') - count(before, '__anonymous__')).toBe(1);
    expect(after).toContain(`deputy_request_duration_seconds_bucket{le="0.001",operation="Usernames",client="web-app"}`);
  });

  it('folds operation names beyond metrics.maxOperationNames into __other__', async () => {
    const other = (text: string) => sample(text, 'deputy_request_duration_seconds_count{operation="__other__",client="web-app"}');
    const before = await scrape();
    for (const name of ['FoldA', 'FoldB', 'FoldC']) await ask(`query ${name} { users { id } }`);
    const after = await scrape();
    // Usernames took one of the two places: FoldA the other, FoldB and FoldC fold.
    expect(other(after) - other(before)).toBe(2);
    const operations = new Set(seriesOf(after, 'deputy_request_duration_seconds_count').map((line) => /operation="([^"]*)"/.exec(line)![1]));
    expect(operations).toEqual(new Set(['Usernames', 'FoldA', '__anonymous__', '__other__']));
  });

  it('counts each field a subgraph denied, by subgraph and rule', async () => {
    const series = `deputy_authorization_denials_total{subgraph="accounts",rule="${DENIED_BY}"}`;
    const before = sample(await scrape(), series);
    const body = (await ask('{ users { username birthday } }')).json() as { errors?: { path: (string | number)[]; extensions: { code: string } }[] };
    const forbidden = (body.errors ?? []).filter((error) => error.extensions.code === 'FORBIDDEN');
    expect(forbidden.length).toBeGreaterThan(0);
    expect(sample(await scrape(), series) - before).toBe(forbidden.length);
  });

  it('counts broker calls by caller, target and outcome', async () => {
    const ok = 'deputy_broker_calls_total{caller="accounts-service",target="reviews",outcome="ok"}';
    const refused = 'deputy_broker_calls_total{caller="__anonymous__",target="__other__",outcome="UNAUTHENTICATED"}';
    const before = await scrape();
    await ask('{ me { username reviewCount } }');
    const unauthenticated = await fetch(stack.router.url.replace(/\/graphql$/, '/delegate'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthenticated.status).toBe(401);
    const after = await scrape();
    expect(sample(after, ok) - sample(before, ok)).toBe(1);
    expect(sample(after, refused) - sample(before, refused)).toBe(1);
  });

  it('shows the served supergraph as one info series, replaced when the supergraph changes', async () => {
    const first = stack.router.schema.state.hash;
    expect(seriesOf(await scrape(), 'deputy_supergraph_info')).toEqual([`deputy_supergraph_info{hash="${first}",version="1"} 1`]);
    // The same schema with a comment: another SDL, so another hash, and nothing else changes.
    const { after } = stack.router.schema.apply(`${stack.router.schema.state.sdl}\n# republished\n`);
    expect(after).not.toBe(first);
    expect(seriesOf(await scrape(), 'deputy_supergraph_info')).toEqual([`deputy_supergraph_info{hash="${after}",version="2"} 1`]);
  });

  it('carries no token and no user in any label', async () => {
    expect(await scrape()).not.toMatch(/eyJ|alice/);
  });
});
