import type { SubgraphToken, TokenSource } from './tokenExchanger.js';
import type { TokenObtained } from '../trace/delegationTrace.js';

/** A clock in ms on performance.now()'s time line; replaced only in unit tests. */
export type Clock = () => number;
/** The router's clock: performance.now(), whose origin (performance.timeOrigin) puts a trace on the epoch. */
export const performanceClock: Clock = () => performance.now();

/** How one fetch got its token, on the clock's time line. */
export interface TokenTiming {
  obtained: TokenObtained;
  /** When the token request (an exchange, or the joining of one in flight) started and settled; absent for a cache hit. */
  request?: { startedAt: number; endedAt: number };
  /** From when the fetch asked until it had the token, ms; 0 when the token was ready. */
  waitMs: number;
}

/** A fetch's token and how it got it. */
export interface TimedToken {
  token: SubgraphToken;
  timing: TokenTiming;
}

/** Who in this request started a token request: the plan's prefetch, or a fetch. */
export type TokenRequester = 'prefetch' | 'fetch';

/** What a token request was, from the exchanger's answer and who started it. */
export function obtainedAs(source: TokenSource, startedBy: TokenRequester): TokenObtained {
  if (source === 'cache') return 'cache';
  if (source === 'coalesced') return 'joined';
  return startedBy === 'prefetch' ? 'prefetched' : 'exchanged';
}

/** The timing of a fetch's token: the token request's span (none for a cache hit) and the fetch's own wait. */
export function tokenTiming(source: TokenSource, startedBy: TokenRequester, startedAt: number, endedAt: number, waitMs: number): TokenTiming {
  const obtained = obtainedAs(source, startedBy);
  return obtained === 'cache' ? { obtained, waitMs } : { obtained, request: { startedAt, endedAt }, waitMs };
}

/** A token the fetch asks the exchanger for by itself (the retry after a 401): it waits for the whole token request. */
export async function timeTokenRequest(request: () => Promise<SubgraphToken>, now: Clock = performanceClock): Promise<TimedToken> {
  const startedAt = now();
  const token = await request();
  const endedAt = now();
  const waitMs = endedAt - startedAt;
  return { token: { ...token, waitMs }, timing: tokenTiming(token.source, 'fetch', startedAt, endedAt, waitMs) };
}
