import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { DelegatingDataSource } from '../../../router/delegation/DelegatingDataSource.js';
import { TokenExchanger } from '../../../router/delegation/tokenExchanger.js';
import type { ExchangeRequest, ExchangeResult } from '../../../router/delegation/exchangeToken.js';
import type { Caller } from '../../../router/edge/authenticateCaller.js';
import type { RouterContext } from '../../../router/routerContext.js';
import { TraceRecorder } from '../../../router/trace/traceRecorder.js';
import { RequestAudit } from '../../../router/audit/requestAudit.js';
import { memoryAuditLog } from '../../../router/audit/auditLog.js';
import { ResponseTooLargeError, TimeoutError, type HttpAnswer, type HttpPost } from '../../../lib/http/httpPost.js';

// Unit tests of fetch deduplication in the data source: the HTTP client is a stub that holds
// every request until the test lets it answer, so "in flight together" involves no timing.

const ME = 'query Me__accounts__0{me{id username}}';
const SET_NAME = 'mutation Rename__accounts__0{rename(name:"x"){id}}';

function caller(name: string): Caller {
  return { token: `token-of-${name}`, fingerprint: `fp-${name}`, sub: name, clientId: 'web-app', scopes: ['accounts:read'], exp: Math.floor(Date.now() / 1000) + 3600, jti: `jti-${name}`, claims: {} };
}

const exchanger = () =>
  new TokenExchanger({
    exchange: { tokenEndpoint: 'http://unused', authenticate: async () => undefined, timeoutMs: 1000 },
    cache: { maxEntries: 100, skewSeconds: 30 },
    circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMs: 60_000 },
    // Each subject gets a token of its own; the same subject the cached one.
    exchangeFn: (async (_client: unknown, request: ExchangeRequest): Promise<ExchangeResult> => ({ token: `issued-for-${request.subjectToken}`, expiresIn: 300, scopes: request.scopes })) as never,
  });

const answerOf = (body: string, status = 200): HttpAnswer => ({ status, statusText: '', rawHeaders: ['content-type', 'application/json'], body });
const json = (body: unknown, status = 200) => answerOf(JSON.stringify(body), status);

/** A subgraph stand-in: records each HTTP request and holds it until `open()`, then answers with `answer(authorization)`. */
function heldSubgraph(answer: (authorization: string) => HttpAnswer | Promise<HttpAnswer>) {
  const requests: { authorization: string; traceparent: string }[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const client: HttpPost = async (_url, request) => {
    requests.push({ authorization: request.headers.authorization!, traceparent: request.headers.traceparent! });
    await gate;
    return answer(request.headers.authorization!);
  };
  return { requests, open, client };
}

function setup(answer: (authorization: string) => HttpAnswer | Promise<HttpAnswer>, deduplicate = true) {
  const subgraph = heldSubgraph(answer);
  const seen = { joined: 0, fetches: [] as string[], responses: [] as GatewayGraphQLResponse[] };
  const source = new DelegatingDataSource({
    name: 'accounts',
    url: 'http://accounts.invalid/graphql',
    timeoutMs: 1000,
    maxResponseBytes: 1024,
    delegation: { audience: 'accounts', scopes: ['accounts:read'], allowedClients: ['*'] },
    exchanger: exchanger(),
    deduplicate,
    onDeduplicated: () => seen.joined++,
    onFetch: (_subgraph, outcome) => seen.fetches.push(outcome),
    onResponse: (_subgraph, response) => seen.responses.push(response),
    post: subgraph.client,
  });
  return { source, subgraph, seen };
}

let traceIds = 0;
function requestContext(who: Caller, traced = false): RouterContext & { audit: ReturnType<typeof memoryAuditLog> } {
  const traceId = (++traceIds).toString(16).padStart(32, '0');
  const audit = memoryAuditLog();
  return {
    caller: who,
    subgraphTokens: new Map(),
    traceId,
    warnings: [],
    trace: traced ? new TraceRecorder(traceId, who) : undefined,
    requestAudit: new RequestAudit(audit, { traceId, caller: who }),
    audit,
  };
}

function fetchIn(source: DelegatingDataSource, context: RouterContext, query = ME, operation = 'query') {
  return source.process({
    kind: 'incoming operation',
    request: { query, operationName: query.match(/^\w+ (\w+)/)?.[1], variables: {} },
    incomingRequestContext: { operation: { operation } },
    context,
    pathInIncomingRequest: [],
  } as unknown as GraphQLDataSourceProcessOptions<RouterContext>);
}

const codeOf = (error: unknown) => (error as { extensions?: Record<string, unknown> }).extensions;

afterEach(() => vi.restoreAllMocks());

describe('fetch deduplication in the data source', () => {
  it('makes one HTTP request for two identical query fetches in flight with one token, and gives each its own copy of the answer', async () => {
    const { source, subgraph, seen } = setup(() => json({ data: { me: { id: '1', username: 'alice' } } }));
    const alice = caller('alice');
    const first = fetchIn(source, requestContext(alice));
    const second = fetchIn(source, requestContext(alice));
    await vi.waitFor(() => expect(seen.joined).toBe(1));
    subgraph.open();
    const [a, b] = await Promise.all([first, second]);
    expect(subgraph.requests).toHaveLength(1);
    expect(a.data).toEqual({ me: { id: '1', username: 'alice' } });
    expect(b.data).toEqual(a.data);
    expect(b.data).not.toBe(a.data);
    (a.data!.me as { username: string }).username = 'changed by the first request';
    expect((b.data!.me as { username: string }).username).toBe('alice');
    expect(seen.fetches).toEqual(['ok', 'ok']);
    expect(seen.responses).toHaveLength(2);
  });

  it("marks the fetch that joined in its request's trace, and leaves each request its own decisions in trace and audit", async () => {
    const decisions = [{ field: 'User.birthday', decision: 'deny', rule: 'owner', count: 1 }];
    const { source, subgraph, seen } = setup(() => json({ data: { me: { id: '1', username: 'alice' } }, extensions: { authorization: { decisions } } }));
    const alice = caller('alice');
    const leader = requestContext(alice, true);
    const joiner = requestContext(alice, true);
    const first = fetchIn(source, leader);
    await vi.waitFor(() => expect(subgraph.requests).toHaveLength(1));
    const second = fetchIn(source, joiner);
    await vi.waitFor(() => expect(seen.joined).toBe(1));
    subgraph.open();
    await Promise.all([first, second]);
    const [led] = leader.trace!.fetches;
    const [joined] = joiner.trace!.fetches;
    expect(led.deduplicated).toBeUndefined();
    expect(joined.deduplicated).toBe(true);
    expect(joined.outcome).toBe('ok');
    expect(joined.resolvedFields).toEqual(led.resolvedFields);
    expect(joined.authorization).toEqual(decisions);
    expect(joined.authorization).not.toBe(led.authorization);
    for (const context of [leader, joiner]) {
      context.requestAudit!.finish(200);
      const event = context.audit.events.find((candidate) => candidate.event === 'decisions');
      expect(event).toMatchObject({ traceId: context.traceId, subject: 'alice', subgraph: 'accounts', fetches: 1, decisions });
    }
  });

  it('never shares between two subjects: each request carries its own token and gets its own answer', async () => {
    const { source, subgraph, seen } = setup((authorization) => json({ data: { me: { id: authorization.slice(-5) } } }));
    const first = fetchIn(source, requestContext(caller('alice')));
    const second = fetchIn(source, requestContext(caller('bob__')));
    await vi.waitFor(() => expect(subgraph.requests).toHaveLength(2));
    subgraph.open();
    const [a, b] = await Promise.all([first, second]);
    expect(subgraph.requests.map((request) => request.authorization).sort()).toEqual(['Bearer issued-for-token-of-alice', 'Bearer issued-for-token-of-bob__']);
    expect([a.data, b.data]).toEqual([{ me: { id: 'alice' } }, { me: { id: 'bob__' } }]);
    expect(seen.joined).toBe(0);
  });

  it('never shares a mutation, nor the queries of a mutation operation', async () => {
    const { source, subgraph, seen } = setup(() => json({ data: { rename: { id: '1' } } }));
    const alice = caller('alice');
    const fetches = [
      fetchIn(source, requestContext(alice), SET_NAME, 'mutation'),
      fetchIn(source, requestContext(alice), SET_NAME, 'mutation'),
      fetchIn(source, requestContext(alice), ME, 'mutation'),
      fetchIn(source, requestContext(alice), ME, 'mutation'),
    ];
    await vi.waitFor(() => expect(subgraph.requests).toHaveLength(4));
    subgraph.open();
    await Promise.all(fetches);
    expect(seen.joined).toBe(0);
  });

  it('makes a request per fetch when deduplication is off', async () => {
    const { source, subgraph, seen } = setup(() => json({ data: { me: { id: '1' } } }), false);
    const alice = caller('alice');
    const fetches = [fetchIn(source, requestContext(alice)), fetchIn(source, requestContext(alice))];
    await vi.waitFor(() => expect(subgraph.requests).toHaveLength(2));
    subgraph.open();
    await Promise.all(fetches);
    expect(seen.joined).toBe(0);
  });

  it('keeps nothing once the shared request completes: the next identical fetch sends again', async () => {
    const { source, subgraph } = setup(() => json({ data: { me: { id: '1' } } }));
    subgraph.open();
    const alice = caller('alice');
    await fetchIn(source, requestContext(alice));
    await fetchIn(source, requestContext(alice));
    expect(subgraph.requests).toHaveLength(2);
  });

  it.each([
    { name: 'an unreachable subgraph', answer: (): HttpAnswer => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) as never, reason: 'unreachable', outcome: 'unavailable' },
    { name: 'a 500', answer: () => json({ errors: [{ message: 'secret-detail' }] }, 500), reason: 'http_500', outcome: 'failed' },
    // httpPost's own refusal (tested on loopback in test/resilience/subgraphFaults.test.ts).
    { name: 'a response over the size limit', answer: (): HttpAnswer => Promise.reject(new ResponseTooLargeError('over')) as never, reason: 'response_too_large', outcome: 'unavailable' },
    { name: 'no answer in time', answer: (): HttpAnswer => Promise.reject(new TimeoutError('late')) as never, reason: 'timeout', outcome: 'unavailable' },
    { name: 'a body that is not JSON', answer: () => answerOf('{"data": no'), reason: 'invalid_response', outcome: 'unavailable' },
  ])('hands $name to every fetch that shared the request, as the same typed error', async ({ answer, reason, outcome }) => {
    const { source, subgraph, seen } = setup(answer);
    const alice = caller('alice');
    const leader = requestContext(alice, true);
    const joiner = requestContext(alice, true);
    const first = fetchIn(source, leader).catch((error: unknown) => error);
    const second = fetchIn(source, joiner).catch((error: unknown) => error);
    await vi.waitFor(() => expect(seen.joined).toBe(1));
    subgraph.open();
    const errors = await Promise.all([first, second]);
    expect(subgraph.requests).toHaveLength(1);
    expect(errors.map(codeOf)).toEqual([
      { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'accounts', reason },
      { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'accounts', reason },
    ]);
    expect(joiner.trace!.fetches[0]).toMatchObject({ deduplicated: true, outcome, reason });
    expect(seen.fetches).toEqual(['failed', 'failed']);
  });
});
