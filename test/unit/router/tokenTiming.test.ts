import { describe, expect, it } from 'vitest';
import { fetchToken, prefetchToken, type RequestTokenEntry, type TokenRequest } from '../../../router/delegation/requestToken.js';
import { timeTokenRequest } from '../../../router/delegation/tokenTiming.js';
import type { SubgraphToken, TokenExchanger, TokenSource } from '../../../router/delegation/tokenExchanger.js';
import type { Caller } from '../../../router/edge/authenticateCaller.js';
import { TraceRecorder } from '../../../router/trace/traceRecorder.js';
import { buildTrace } from '../../../router/trace/buildTrace.js';

// The timing of a fetch's token, on a clock the test moves by hand and with an exchanger whose
// answers the test settles: the order of events is fixed, so every value is exact.

const caller = { sub: 'alice', clientId: 'web-app', fingerprint: 'fp-alice', jti: 'jti-alice', scopes: [] } as unknown as Caller;

function issued(source: TokenSource): SubgraphToken {
  return { token: 'opaque', audience: 'reviews', scopes: ['reviews:read'], exp: 0, jti: 'jti-1', fingerprint: 'ab12', actorChain: ['deputy-router'], actorChainAssertedBy: 'issuer', source, waitMs: 999, key: 'k' };
}

/** A hand-moved clock and an exchanger whose every answer waits for `settle`. */
function setup() {
  const clock = { ms: 0 };
  const settlers: ((token: SubgraphToken) => void)[] = [];
  const exchanger = { tokenFor: () => new Promise<SubgraphToken>((resolve) => settlers.push(resolve)) } as unknown as TokenExchanger;
  const tokens = new Map<string, RequestTokenEntry>();
  const request: TokenRequest = { caller, subgraph: 'reviews', delegation: { audience: 'reviews', scopes: ['reviews:read'] } as never, exchanger, now: () => clock.ms };
  /** Moves the clock to `ms`, settles the exchanger's only call with `source`, and lets the promises run. */
  const settle = async (ms: number, source: TokenSource) => {
    clock.ms = ms;
    expect(settlers).toHaveLength(1);
    settlers[0](issued(source));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, tokens, request, settle, calls: () => settlers.length };
}

describe("a fetch's token timing", () => {
  it('is prefetched with no wait when the plan started the exchange and it settled before the fetch asked', async () => {
    const { clock, tokens, request, settle, calls } = setup();
    clock.ms = 10;
    void prefetchToken(tokens, request);
    await settle(30, 'exchange');
    clock.ms = 50;
    const first = await fetchToken(tokens, request);
    clock.ms = 70;
    const later = await fetchToken(tokens, request);
    expect(calls()).toBe(1);
    expect(first.timing).toEqual({ obtained: 'prefetched', request: { startedAt: 10, endedAt: 30 }, waitMs: 0 });
    expect(first.token).toMatchObject({ source: 'exchange', waitMs: 0 });
    // A later fetch of the subgraph shares the same token request; it found the token there.
    expect(later.timing).toEqual({ obtained: 'prefetched', request: { startedAt: 10, endedAt: 30 }, waitMs: 0 });
    expect(later.token.source).toBe('cache');
  });

  it('counts only the time a fetch waited after it asked, not the head start of the prefetch', async () => {
    const { clock, tokens, request, settle } = setup();
    clock.ms = 10;
    void prefetchToken(tokens, request);
    clock.ms = 20;
    const first = fetchToken(tokens, request);
    clock.ms = 25;
    const second = fetchToken(tokens, request);
    await settle(35, 'exchange');
    expect((await first).timing).toEqual({ obtained: 'prefetched', request: { startedAt: 10, endedAt: 35 }, waitMs: 15 });
    expect((await second).timing).toEqual({ obtained: 'prefetched', request: { startedAt: 10, endedAt: 35 }, waitMs: 10 });
    expect((await second).token.source).toBe('coalesced');
  });

  it.each([
    // The span is this request's joining of the other request's exchange.
    { source: 'coalesced', how: "joined when the exchanger joined another request's exchange in flight", timing: { obtained: 'joined', request: { startedAt: 4, endedAt: 9 }, waitMs: 0 } },
    { source: 'cache', how: "a cache hit, without a token request, when the router's cache had the token", timing: { obtained: 'cache', waitMs: 0 } },
  ] as const)('is $how', async ({ source, timing }) => {
    const { clock, tokens, request, settle } = setup();
    clock.ms = 4;
    void prefetchToken(tokens, request);
    await settle(9, source);
    clock.ms = 12;
    const fetched = await fetchToken(tokens, request);
    expect(fetched.timing).toEqual(timing);
    expect(fetched.token.source).toBe(source);
  });

  it('is exchanged, with the whole exchange as its wait, when the fetch itself started the token request', async () => {
    const { clock, tokens, request, settle } = setup();
    clock.ms = 10;
    const pending = fetchToken(tokens, request);
    await settle(18, 'exchange');
    expect((await pending).timing).toEqual({ obtained: 'exchanged', request: { startedAt: 10, endedAt: 18 }, waitMs: 8 });
  });

  it('times a token the fetch asks the exchanger for directly (the retry after a 401) from its own start', async () => {
    const clock = { ms: 40 };
    const answer = (source: TokenSource) => async () => {
      clock.ms += 6;
      return issued(source);
    };
    expect((await timeTokenRequest(answer('exchange'), () => clock.ms)).timing).toEqual({ obtained: 'exchanged', request: { startedAt: 40, endedAt: 46 }, waitMs: 6 });
    expect((await timeTokenRequest(answer('coalesced'), () => clock.ms)).timing).toEqual({ obtained: 'joined', request: { startedAt: 46, endedAt: 52 }, waitMs: 6 });
    expect((await timeTokenRequest(answer('cache'), () => clock.ms)).timing).toEqual({ obtained: 'cache', waitMs: 6 });
  });
});

describe('the trace of those timings', () => {
  it('puts every time after the request start, the send after the token, and ends the trace when it is built', () => {
    const clock = { ms: 100 };
    const recorder = new TraceRecorder('t'.repeat(32), caller, { now: () => clock.ms });
    clock.ms = 103;
    const prefetchedFetch = recorder.observeFetch('reviews', []);
    clock.ms = 140.123;
    const cachedFetch = recorder.observeFetch('reviews', []);
    prefetchedFetch.tokenObtained(issued('exchange'), { obtained: 'prefetched', request: { startedAt: 101.004, endedAt: 130 }, waitMs: 27.006 });
    cachedFetch.tokenObtained(issued('cache'), { obtained: 'cache', waitMs: 0 });
    clock.ms = 141;
    prefetchedFetch.sending('a'.repeat(16));
    clock.ms = 150;
    prefetchedFetch.completed({ data: {} });
    clock.ms = 160;
    const trace = buildTrace(recorder, null, 'deputy-router');
    const [first, second] = trace.fetches;
    expect(first).toMatchObject({ startMs: 3, sentMs: 41, fetchMs: 9 });
    expect(first.token).toEqual({ source: 'exchange', obtained: 'prefetched', requestStartMs: 1, requestEndMs: 30, waitMs: 27.01, jti: 'jti-1', fingerprint: 'ab12' });
    expect(second.startMs).toBe(40.12);
    expect(second.token).toEqual({ source: 'cache', obtained: 'cache', waitMs: 0, jti: 'jti-1', fingerprint: 'ab12' });
    // Not sent (yet): no send time rather than a made-up one.
    expect(second.sentMs).toBeUndefined();
    expect(trace.durationMs).toBe(60);
    expect(trace.startedAt).toBe(Math.round((performance.timeOrigin + 100) * 100) / 100);
  });
});
