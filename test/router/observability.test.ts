import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { sample } from '../helpers/metrics.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;

describe('audit events and metrics', () => {
  let stack: TestStack;
  let base: string;
  const metricsText = async () => (await fetch(`${base}/metrics`)).text();

  beforeAll(async () => {
    stack = await startStack();
    base = stack.router.url.replace(/\/graphql$/, '');
  });
  afterAll(() => stack?.stop());

  it('writes one audit event per delegation, with the trace id of the response and no token', async () => {
    const carol = await stack.auth.userToken('carol');
    const before = stack.audit.length;
    const response = await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${carol}`, 'x-delegation-trace': '1' });
    const trace = (response.json() as { extensions: { delegationTrace: DelegationTrace } }).extensions.delegationTrace;
    const events = stack.audit.slice(before);
    const delegations = events.filter((event) => event.event === 'delegation');
    expect(delegations.map((event) => event.target).sort()).toEqual(['accounts', 'inventory', 'products', 'reviews']);
    for (const event of delegations) {
      expect(event).toMatchObject({
        traceId: trace.traceId,
        subject: 'carol',
        client: 'web-app',
        audience: event.target,
        actorChain: ['deputy-router'],
        decision: 'granted',
        tokenSource: 'exchange',
      });
      expect(event.time).toEqual(expect.any(String));
      expect(event.scopesGranted).toEqual(expect.any(Array));
      expect(event.tokenFingerprint).toMatch(/^[0-9a-f]{12}$/);
      expect(event.latencyMs).toEqual(expect.any(Number));
    }
    expect(events.filter((event) => event.event === 'token.exchange' && event.result === 'ok')).toHaveLength(4);
    expect(JSON.stringify(events)).not.toMatch(JWT_LIKE);
  });

  it('records the scopes a delegation granted, no more than the caller held', async () => {
    const narrow = await stack.auth.userToken('bob', 'openid accounts:read');
    const before = stack.audit.length;
    await postGraphQL(stack.router.url, { query: '{ users { username } }' }, { authorization: `Bearer ${narrow}` });
    expect(stack.audit.slice(before).find((event) => event.event === 'delegation')).toMatchObject({ subject: 'bob', target: 'accounts', decision: 'granted', scopesGranted: ['accounts:read'] });
  });

  it('moves the exchange counters as expected: four exchanges cold, four cache hits warm', async () => {
    const dotan = await stack.auth.userToken('dotansimha');
    const before = await metricsText();
    await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${dotan}` });
    const cold = await metricsText();
    await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${dotan}` });
    const warm = await metricsText();
    const delta = (a: string, b: string, series: string) => sample(b, series) - sample(a, series);
    expect(delta(before, cold, 'deputy_token_requests_total{result="exchanged"}')).toBe(4);
    expect(delta(before, cold, 'deputy_exchange_duration_seconds_count{result="ok"}')).toBe(4);
    expect(delta(cold, warm, 'deputy_token_requests_total{result="cache_hit"}')).toBe(4);
    expect(delta(cold, warm, 'deputy_token_requests_total{result="exchanged"}')).toBe(0);
    expect(delta(before, warm, 'deputy_requests_total{outcome="ok"}')).toBe(2);
    expect(delta(cold, warm, 'deputy_subgraph_fetch_duration_seconds_count{subgraph="inventory",outcome="ok"}')).toBe(7);
    expect(sample(warm, 'deputy_token_cache_entries')).toBeGreaterThanOrEqual(4);
    expect(sample(warm, 'deputy_exchange_circuit_state')).toBe(0);
    expect(warm).not.toMatch(/dotansimha|eyJ/);
  });

  it('counts an unauthenticated request', async () => {
    const before = sample(await metricsText(), 'deputy_requests_total{outcome="unauthenticated"}');
    await postGraphQL(stack.router.url, { query: '{ users { id } }' });
    expect(sample(await metricsText(), 'deputy_requests_total{outcome="unauthenticated"}')).toBe(before + 1);
  });
});
