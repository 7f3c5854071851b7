import type { Caller } from '../edge/authenticateCaller.js';
import type { SubgraphDelegation } from './checkDelegationPolicy.js';
import type { SubgraphToken, TokenExchanger } from './tokenExchanger.js';
import type { RouterContext } from '../routerContext.js';
import { SpanKind } from '@opentelemetry/api';
import type { RequestSpans } from '../observability/telemetry.js';
import { performanceClock, tokenTiming, type Clock, type TimedToken, type TokenRequester } from './tokenTiming.js';

/** One subgraph's token request within one request, shared by every fetch of that subgraph. */
export interface RequestTokenEntry {
  pending: Promise<SubgraphToken>;
  startedBy: TokenRequester;
  /** When the token request started and settled, on the request's clock (settledAt: undefined while in flight). */
  startedAt: number;
  settledAt?: number;
  /** Whether a fetch has taken the token yet (a prefetch does not count). */
  claimed: boolean;
}

/** What a token request needs: whose token, for which subgraph, and where to report it. */
export interface TokenRequest {
  caller: Caller;
  subgraph: string;
  delegation: SubgraphDelegation;
  exchanger: TokenExchanger;
  report?: RouterContext['reportDelegation'];
  spans?: RequestSpans;
  /** The request's trace id, for the audit of an exchange it starts. */
  traceId?: string;
  /** Default performance.now(); replaced only in unit tests. */
  now?: Clock;
}

/** Starts the token request for one subgraph of the plan before any fetch asks (createGateway's prefetch). */
export function prefetchToken(tokens: Map<string, RequestTokenEntry>, request: TokenRequest): Promise<SubgraphToken> {
  return entryFor(tokens, request, 'prefetch').pending;
}

/**
 * A fetch's token, from its request's token request for the subgraph (started by the prefetch, or
 * now), and how it got it. The first fetch reports the exchanger's source; later ones `cache`
 * (already there) or `coalesced` (still on its way). The wait is the fetch's own: from when it
 * asked, 0 when the token was already there (the prefetch's head start is not this fetch's wait).
 */
export async function fetchToken(tokens: Map<string, RequestTokenEntry>, request: TokenRequest): Promise<TimedToken> {
  const now = request.now ?? performanceClock;
  const askedAt = now();
  const entry = entryFor(tokens, request, 'fetch');
  const ready = entry.settledAt !== undefined;
  const first = !entry.claimed;
  entry.claimed = true;
  const issued = await entry.pending;
  const waitMs = ready ? 0 : now() - askedAt;
  const token = { ...issued, ...(first ? {} : { source: ready ? ('cache' as const) : ('coalesced' as const) }), waitMs };
  // Settled before this fetch resumed: the entry's own handler ran first (it was attached first).
  return { token, timing: tokenTiming(issued.source, entry.startedBy, entry.startedAt, entry.settledAt!, waitMs) };
}

/** This request's token request for the subgraph, started now when there is none yet. */
function entryFor(tokens: Map<string, RequestTokenEntry>, request: TokenRequest, startedBy: TokenRequester): RequestTokenEntry {
  const existing = tokens.get(request.subgraph);
  if (existing) return existing;
  const now = request.now ?? performanceClock;
  const startedAt = now();
  const span = request.spans?.open('deputy.token_exchange', SpanKind.INTERNAL, { 'deputy.subgraph': request.subgraph });
  // The span is the exchange's parent: a token request to the authorization server, if one is made, opens under it.
  const pending = request.exchanger.tokenFor(request.caller, request.subgraph, request.delegation, undefined, { span, traceId: request.traceId });
  const created: RequestTokenEntry = { pending, startedBy, startedAt, claimed: false };
  // Settles once per subgraph per request: that is one delegation decision to report. (A
  // prefetch nobody awaits yet must not become an unhandled rejection; awaiters still see the error.)
  pending.then(
    (token) => {
      created.settledAt = now();
      span?.end();
      request.report?.(request.subgraph, { token, ms: created.settledAt - startedAt });
    },
    (error: unknown) => {
      created.settledAt = now();
      span?.end((error as { reason?: string }).reason ?? true);
      request.report?.(request.subgraph, { error, ms: created.settledAt - startedAt });
    },
  );
  tokens.set(request.subgraph, created);
  return created;
}
