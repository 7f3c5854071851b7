import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

describe('OpenTelemetry spans exported over OTLP/HTTP', () => {
  let stack: TestStack;
  let collector: Server;
  const spans: ExportedSpan[] = [];

  beforeAll(async () => {
    // A stand-in OTLP collector on loopback: it only records what it receives.
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
    stack = await startStack({ routerConfig: (c) => ({ ...c, telemetry: { otlpEndpoint: endpoint } }) });
  });
  afterAll(async () => {
    await stack?.stop();
    collector?.close();
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

    for (let i = 0; i < 40 && !spans.some((s) => s.name === 'deputy.graphql'); i++) await new Promise((r) => setTimeout(r, 100));
    const ours = spans.filter((span) => span.traceId === traceId);
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
