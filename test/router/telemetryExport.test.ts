import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../helpers/recordingServer.js';
import { eventually, exportedMetrics, exportedSpans, type ExportedSpan } from '../helpers/otlp.js';

// What a team plugging Deputy into its own OpenTelemetry pipeline gets: spans named by the
// semantic conventions, the configured exporter headers, a sampling ratio, and the metrics pushed.

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;
const SERVER = 2;
const CLIENT = 3;

describe('telemetry exported over OTLP/HTTP, with headers, conventions and metrics', () => {
  let stack: TestStack;
  let collector: RecordingServer;
  let alice: string;
  const spans = () => exportedSpans(collector.requests);
  const childrenOf = (parent: ExportedSpan | undefined) => spans().filter((span) => span.parentSpanId === parent?.spanId);

  beforeAll(async () => {
    collector = await startRecordingServer();
    // The header value comes through the config loader's ${ENV} substitution, as an API key would.
    process.env.DEPUTY_TEST_OTLP_KEY = 'otlp-key-for-this-test';
    stack = await startStack({
      dataset: 'demo',
      routerConfig: (c) => ({
        ...c,
        // An audience the authorization server does not know: every products exchange is refused (invalid_target).
        subgraphs: { ...c.subgraphs, products: { ...c.subgraphs.products, audience: 'not-a-subgraph' } },
        telemetry: {
          otlpEndpoint: `${collector.url}v1/traces`,
          otlp: { headers: { 'x-api-key': '${DEPUTY_TEST_OTLP_KEY}' } },
          metrics: { otlp: { endpoint: `${collector.url}v1/metrics`, headers: { 'x-tenant': 'deputy-tests' }, exportIntervalMs: 200 } },
        },
      }),
    });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(async () => {
    await stack?.stop();
    await collector?.stop();
    delete process.env.DEPUTY_TEST_OTLP_KEY;
  });

  it('names the GraphQL operation on the server span, by name, type and document hash, never by its text', async () => {
    const query = 'query ReviewerNames { users { username } }';
    const traceId = 'aaf92f3577b34da6a3ce929d0e0e4736';
    await postGraphQL(stack.router.url, { query, operationName: 'ReviewerNames' }, { authorization: `Bearer ${alice}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(await eventually(() => spans().some((span) => span.traceId === traceId && span.name === 'deputy.graphql'))).toBe(true);
    const request = spans().find((span) => span.traceId === traceId && span.name === 'deputy.graphql')!;
    expect(request.kind).toBe(SERVER);
    expect(request.attributes).toMatchObject({
      'graphql.operation.name': 'ReviewerNames',
      'graphql.operation.type': 'query',
      'graphql.document.hash': createHash('sha256').update(query).digest('hex'),
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 200,
    });
    expect(request.attributes['graphql.document']).toBeUndefined();
    expect(JSON.stringify(spans())).not.toContain('users { username }');
  });

  it('opens an HTTP client span per subgraph fetch and per token request, with server, port, URL and status', async () => {
    const traceId = 'bbf92f3577b34da6a3ce929d0e0e4736';
    const carol = await stack.auth.userToken('carol');
    await postGraphQL(stack.router.url, { query: '{ users { username } }' }, { authorization: `Bearer ${carol}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(await eventually(() => spans().some((span) => span.traceId === traceId && span.name === 'deputy.token_request'))).toBe(true);
    const ours = spans().filter((span) => span.traceId === traceId);
    const accounts = new URL(stack.subgraphs.find((subgraph) => subgraph.name === 'accounts')!.url);
    const fetch = ours.find((span) => span.name === 'deputy.subgraph_fetch')!;
    expect(fetch.kind).toBe(CLIENT);
    expect(fetch.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': accounts.hostname,
      'server.port': Number(accounts.port),
      'url.full': `${accounts.origin}${accounts.pathname}`,
      'http.response.status_code': 200,
      'deputy.subgraph': 'accounts',
    });
    // carol's first request: her token for accounts is exchanged, under the span of that token.
    const tokenRequest = ours.find((span) => span.name === 'deputy.token_request')!;
    expect(tokenRequest.kind).toBe(CLIENT);
    expect(tokenRequest.parentSpanId).toBe(ours.find((span) => span.name === 'deputy.token_exchange')?.spanId);
    expect(tokenRequest.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.full': `${stack.auth.issuer}/token`, 'http.response.status_code': 200, 'server.address': '127.0.0.1' });
    expect(tokenRequest.attributes['error.type']).toBeUndefined();
  });

  it('traces a broker call: the /delegate server span names caller and target, with its token request and the call to the target', async () => {
    const traceId = 'ccf92f3577b34da6a3ce929d0e0e4736';
    const response = await postGraphQL(stack.router.url, { query: '{ me { username reviewCount } }' }, { authorization: `Bearer ${alice}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect((response.json() as { data: { me: { reviewCount: number } } }).data.me.reviewCount).toBe(3);
    expect(await eventually(() => spans().some((span) => span.traceId === traceId && span.name === 'deputy.delegate'))).toBe(true);
    const delegate = spans().find((span) => span.traceId === traceId && span.name === 'deputy.delegate')!;
    expect(delegate.kind).toBe(SERVER);
    expect(delegate.attributes).toMatchObject({ 'deputy.broker.caller': 'accounts-service', 'deputy.broker.target': 'reviews', 'deputy.broker.outcome': 'ok', 'url.path': '/delegate', 'http.response.status_code': 200 });
    expect(await eventually(() => childrenOf(delegate).length >= 2)).toBe(true);
    const reviews = new URL(stack.subgraphs.find((subgraph) => subgraph.name === 'reviews')!.url);
    expect(childrenOf(delegate).map((span) => span.name).sort()).toEqual(['deputy.delegate_call', 'deputy.token_request']);
    expect(childrenOf(delegate).find((span) => span.name === 'deputy.delegate_call')!.attributes).toMatchObject({ 'url.full': `${reviews.origin}${reviews.pathname}`, 'http.response.status_code': 200 });
  });

  it('marks a token request the authorization server refused with its status and error.type', async () => {
    const traceId = 'ddf92f3577b34da6a3ce929d0e0e4736';
    await postGraphQL(stack.router.url, { query: '{ topProducts { name } }' }, { authorization: `Bearer ${alice}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(await eventually(() => spans().some((span) => span.traceId === traceId && span.name === 'deputy.token_request'))).toBe(true);
    const tokenRequest = spans().find((span) => span.traceId === traceId && span.name === 'deputy.token_request')!;
    expect(tokenRequest.attributes).toMatchObject({ 'deputy.subgraph': 'products', 'http.response.status_code': 400, 'error.type': 'invalid_target' });
  });

  it('sends the configured headers with every export, and pushes the metrics GET /metrics serves', async () => {
    const durationOf = (request: RecordedRequest) => exportedMetrics([request]).find((metric) => metric.name === 'deputy_request_duration_seconds');
    const named = (request: RecordedRequest) => durationOf(request)?.points.find((point) => point.attributes.operation === 'ReviewerNames');
    expect(await eventually(() => collector.requests.some(named))).toBe(true);
    const traces = collector.requests.filter((request) => request.path === '/v1/traces');
    const metrics = collector.requests.filter((request) => request.path === '/v1/metrics');
    expect(traces.length).toBeGreaterThan(0);
    for (const request of [...traces, ...metrics]) expect(request.headers['x-api-key']).toBe('otlp-key-for-this-test');
    for (const request of metrics) expect(request.headers['x-tenant']).toBe('deputy-tests');
    const latest = metrics.findLast(named)!;
    expect(named(latest)!.attributes.client).toBe('web-app');
    expect(Number(named(latest)!.count)).toBe(1);
    const requests = exportedMetrics([latest]).find((metric) => metric.name === 'deputy_requests_total')!;
    expect(requests.points.find((point) => point.attributes.outcome === 'ok')?.asDouble).toBeGreaterThanOrEqual(3);
    const latestMetrics = exportedMetrics([latest]);
    expect(latestMetrics.some((metric) => metric.name === 'process_cpu_seconds_total')).toBe(true);
  });

  it('exports no token, secret or Authorization value', () => {
    const exported = collector.requests.map((request) => request.body).join('\n');
    expect(exported).not.toMatch(JWT_LIKE);
    expect(exported).not.toMatch(/Bearer /i);
    for (const secret of stack.auth.secrets()) expect(exported).not.toContain(secret);
  });
});

describe('a sampling ratio of 0', () => {
  let stack: TestStack;
  let collector: RecordingServer;
  let stopped = false;

  beforeAll(async () => {
    collector = await startRecordingServer('/v1/traces');
    stack = await startStack({ routerConfig: (c) => ({ ...c, telemetry: { otlpEndpoint: collector.url, sampling: { ratio: 0 } } }) });
  });
  afterAll(async () => {
    if (!stopped) await stack?.stop();
    await collector?.stop();
  });

  it('exports no span for a new trace, and still tells the subgraphs the trace id, unsampled', async () => {
    const alice = await stack.auth.userToken('alice');
    stack.received.length = 0;
    const response = await postGraphQL(stack.router.url, { query: '{ users { username } }' }, { authorization: `Bearer ${alice}` });
    expect(response.status).toBe(200);
    expect(stack.received.length).toBeGreaterThan(0);
    for (const request of stack.received) expect(request.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    // Stopping flushes the span processor: whatever was to be exported has been by now.
    await stack.stop();
    stopped = true;
    expect(exportedSpans(collector.requests)).toEqual([]);
  });
});
