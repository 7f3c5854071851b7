import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recordingServer.js';
import { eventually, exportedSpans } from '../helpers/otlp.js';

describe('OpenTelemetry spans exported over OTLP/HTTP', () => {
  let stack: TestStack;
  let collector: RecordingServer;
  const spans = () => exportedSpans(collector.requests);

  beforeAll(async () => {
    // A stand-in OTLP collector on loopback: it only records what it receives.
    collector = await startRecordingServer('/v1/traces');
    stack = await startStack({ routerConfig: (c) => ({ ...c, telemetry: { otlpEndpoint: collector.url } }) });
  });
  afterAll(async () => {
    await stack?.stop();
    await collector?.stop();
  });

  it('exports a span per request, per subgraph fetch and per token, under the incoming trace, and propagates it to subgraphs', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const alice = await stack.auth.userToken('alice');
    stack.received.length = 0;
    const response = await postGraphQL(
      stack.router.url,
      { query: '{ topProducts(first: 2) { name inStock } }' },
      { authorization: `Bearer ${alice}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-delegation-trace': '1' },
    );
    const delegationTrace = (response.json() as { extensions: { delegationTrace: { traceId: string } } }).extensions.delegationTrace;
    expect(delegationTrace.traceId).toBe(traceId);
    expect(stack.received.every((r) => r.traceparent?.startsWith(`00-${traceId}-`))).toBe(true);

    await eventually(() => spans().some((s) => s.name === 'deputy.graphql'));
    const ours = spans().filter((span) => span.traceId === traceId);
    const request = ours.find((span) => span.name === 'deputy.graphql');
    expect(request?.parentSpanId).toBe('00f067aa0ba902b7');
    const fetches = ours.filter((span) => span.name === 'deputy.subgraph_fetch');
    const tokens = ours.filter((span) => span.name === 'deputy.token_exchange');
    expect(fetches).toHaveLength(2);
    expect(tokens).toHaveLength(2);
    for (const child of [...fetches, ...tokens]) expect(child.parentSpanId).toBe(request?.spanId);
    // Each subgraph was called as a child of its fetch span.
    const parents = stack.received.map((r) => r.traceparent!.split('-')[2]);
    expect(parents.sort()).toEqual(fetches.map((span) => span.spanId).sort());
  });
});
