import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../helpers/faultProxy.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { parseTraceparent } from '../../router/trace/traceContext.js';
import type { DelegationTrace, FetchTrace } from '../../router/trace/delegationTrace.js';

// The trace's timings against what proxies in front of the authorization server and of every
// subgraph saw. The router, the proxies and the authorization server run in this process, so all
// read one clock (performance.timeOrigin + performance.now()). Nothing here depends on how fast
// anything was: only on order, which causality fixes (a request is sent before it arrives, an
// answer written before it is read), and on nested intervals.

/** Each ms value of the trace is rounded to 0.01 ms (off by at most 0.005): a sum of three of them (startedAt + sentMs + fetchMs) by at most this. */
const ROUNDING = 0.015;
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const epochNow = () => performance.timeOrigin + performance.now();

/** The token exchanges the proxy forwarded, by the audience they asked for. */
function exchangesByAudience(requests: ProxiedRequest[]): Map<string, ProxiedRequest[]> {
  const byAudience = new Map<string, ProxiedRequest[]>();
  for (const request of requests) {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== TOKEN_EXCHANGE) continue;
    const audience = form.get('audience')!;
    byAudience.set(audience, [...(byAudience.get(audience) ?? []), request]);
  }
  return byAudience;
}

/** A traced request, with the test's own clock readings around it. */
async function tracedRun(stack: TestStack, token: string) {
  const before = epochNow();
  const response = await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${token}`, 'x-delegation-trace': '1' });
  const after = epochNow();
  const trace = (response.json() as { extensions: { delegationTrace: DelegationTrace } }).extensions.delegationTrace;
  return { trace, before, after, at: (ms: number) => trace.startedAt + ms };
}

describe('the timings of the delegation trace, against proxies in front of the authorization server and the subgraphs', () => {
  let auth: TestAuth;
  let stack: TestStack;
  let tokenProxy: FaultProxy;
  const subgraphProxies: FaultProxy[] = [];
  let user: string;

  beforeAll(async () => {
    auth = await startAuth();
    tokenProxy = await startFaultProxy(new URL(auth.issuer).origin);
    stack = await startStack({
      auth,
      routeSubgraph: async (_name, url) => {
        const proxy = await startFaultProxy(new URL(url).origin);
        subgraphProxies.push(proxy);
        return `${proxy.origin}${new URL(url).pathname}`;
      },
      routerConfig: (config) => ({ ...config, exchange: { ...config.exchange, tokenEndpoint: `${tokenProxy.origin}${new URL(`${auth.issuer}/token`).pathname}` } }),
    });
    user = await auth.userToken('alice');
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([tokenProxy, ...subgraphProxies].map((proxy) => proxy?.stop()));
    await auth?.stop();
  });

  describe('a cold request (a user token the router has not exchanged yet)', () => {
    let run: Awaited<ReturnType<typeof tracedRun>>;
    let fetches: FetchTrace[];
    let exchanges: Map<string, ProxiedRequest[]>;
    let subgraphRequests: ProxiedRequest[];

    beforeAll(async () => {
      tokenProxy.requests.length = 0;
      run = await tracedRun(stack, user);
      fetches = run.trace.fetches;
      exchanges = exchangesByAudience(tokenProxy.requests);
      // This request's own (the router may call a subgraph for other reasons): by the trace id it sent.
      subgraphRequests = subgraphProxies.flatMap((proxy) => proxy.requests).filter((request) => parseTraceparent(request.headers.traceparent as string)?.traceId === run.trace.traceId);
    });

    it("starts when the router got the request and ends when it answered, after every subgraph's last answer", () => {
      expect(run.trace.startedAt).toBeGreaterThanOrEqual(run.before - ROUNDING);
      expect(run.at(run.trace.durationMs)).toBeLessThanOrEqual(run.after + ROUNDING);
      expect(subgraphRequests.length).toBeGreaterThan(0);
      for (const request of subgraphRequests) expect(run.at(run.trace.durationMs)).toBeGreaterThanOrEqual(request.answeredAt! - ROUNDING);
      for (const fetch of fetches) expect(run.trace.durationMs).toBeGreaterThanOrEqual(fetch.sentMs! + fetch.fetchMs - ROUNDING);
    });

    it('shows one prefetched token request per subgraph, each enclosing the exchange the authorization server answered', () => {
      expect(fetches).toHaveLength(16);
      const subgraphs = [...new Set(fetches.map((fetch) => fetch.subgraph))].sort();
      expect(subgraphs).toEqual(['accounts', 'inventory', 'products', 'reviews']);
      expect([...exchanges.keys()].sort()).toEqual(subgraphs);
      for (const subgraph of subgraphs) {
        const ofSubgraph = fetches.filter((fetch) => fetch.subgraph === subgraph);
        // Every fetch of the subgraph shares the request's one token request.
        const spans = new Set(ofSubgraph.map((fetch) => `${fetch.token?.obtained} ${fetch.token?.requestStartMs} ${fetch.token?.requestEndMs}`));
        expect(spans.size, subgraph).toBe(1);
        const { token } = ofSubgraph[0];
        expect(token?.obtained).toBe('prefetched');
        const [exchange, ...more] = exchanges.get(subgraph)!;
        expect(more).toEqual([]);
        expect(run.at(token!.requestStartMs!)).toBeLessThanOrEqual(exchange.arrivedAt + ROUNDING);
        expect(exchange.arrivedAt).toBeLessThanOrEqual(exchange.answeredAt!);
        expect(run.at(token!.requestEndMs!)).toBeGreaterThanOrEqual(exchange.answeredAt! - ROUNDING);
      }
    });

    it('starts every token request when the plan is made, side by side: before any fetch began, each before any ended', () => {
      const starts = fetches.map((fetch) => fetch.token!.requestStartMs!);
      const ends = fetches.map((fetch) => fetch.token!.requestEndMs!);
      expect(Math.max(...starts)).toBeLessThanOrEqual(Math.min(...fetches.map((fetch) => fetch.startMs)));
      expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
      expect(Math.max(...starts)).toBeLessThan(Math.min(...fetches.map((fetch) => fetch.sentMs!)));
    });

    it('sends each fetch after its token came and before the subgraph got it, and its round trip encloses what the subgraph proxy saw', () => {
      const bySpan = new Map(subgraphRequests.map((request) => [parseTraceparent(request.headers.traceparent as string)?.parentId, request]));
      const sentOwn = fetches.filter((fetch) => !fetch.deduplicated);
      expect(sentOwn.length).toBe(subgraphRequests.length);
      for (const fetch of fetches) {
        expect(fetch.sentMs!).toBeGreaterThanOrEqual(fetch.token!.requestEndMs!);
        expect(fetch.sentMs!).toBeGreaterThanOrEqual(fetch.startMs);
      }
      for (const fetch of sentOwn) {
        const arrived = bySpan.get(fetch.spanId);
        expect(arrived, `fetch #${fetch.id}`).toBeDefined();
        expect(run.at(fetch.sentMs!)).toBeLessThanOrEqual(arrived!.arrivedAt + ROUNDING);
        expect(run.at(fetch.sentMs! + fetch.fetchMs)).toBeGreaterThanOrEqual(arrived!.answeredAt! - ROUNDING);
      }
    });

    it("counts as a fetch's wait only the time after it asked: none when its token had come before it began", () => {
      for (const fetch of fetches) {
        const { waitMs, requestEndMs } = fetch.token!;
        // It asked as it began and had its token before it sent: the prefetch's head start is not its wait.
        expect(fetch.startMs + waitMs, `fetch #${fetch.id}`).toBeLessThanOrEqual(fetch.sentMs! + ROUNDING);
        if (fetch.startMs > requestEndMs!) expect(waitMs, `fetch #${fetch.id}`).toBe(0);
      }
      // There are such fetches: the authors' accounts fetches need what the reviews fetch brought, which
      // needs the users the accounts root fetch brought, and that one was sent with the accounts token.
      const late = fetches.filter((fetch) => fetch.subgraph === 'accounts' && fetch.startMs > fetch.token!.requestEndMs!);
      expect(late.length).toBeGreaterThan(0);
    });
  });

  it('shows a warm repeat as cache hits: no token request, none at the authorization server, no wait beyond the send', async () => {
    tokenProxy.requests.length = 0;
    const { trace } = await tracedRun(stack, user);
    expect(trace.fetches).toHaveLength(16);
    for (const fetch of trace.fetches) {
      expect(fetch.token?.obtained).toBe('cache');
      expect(fetch.token).not.toHaveProperty('requestStartMs');
      expect(fetch.token).not.toHaveProperty('requestEndMs');
      expect(fetch.startMs + fetch.token!.waitMs).toBeLessThanOrEqual(fetch.sentMs! + ROUNDING);
    }
    expect(exchangesByAudience(tokenProxy.requests).size).toBe(0);
  });
});
