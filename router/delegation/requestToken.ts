import type { Caller } from '../edge/authenticateCaller.js';
import type { SubgraphDelegation } from './checkDelegationPolicy.js';
import type { SubgraphToken, TokenExchanger } from './tokenExchanger.js';
import type { RouterContext } from '../routerContext.js';
import { SpanKind } from '@opentelemetry/api';
import type { RequestSpans } from '../observability/telemetry.js';

/** One subgraph's token within one request, shared by every fetch of that subgraph. */
export interface RequestTokenEntry {
  pending: Promise<SubgraphToken>;
  settled: boolean;
  /** Whether a fetch has taken the token yet (a prefetch does not count). */
  claimed: boolean;
}

/**
 * The token for one subgraph within one request: obtained once (often by the plan's prefetch),
 * then shared by every fetch of that subgraph. The first fetch reports how the token was
 * obtained; later ones report `cache` (already there) or `coalesced` (still on its way).
 */
export async function requestToken(
  tokens: Map<string, RequestTokenEntry>,
  request: {
    caller: Caller;
    subgraph: string;
    delegation: SubgraphDelegation;
    exchanger: TokenExchanger;
    report?: RouterContext['reportDelegation'];
    spans?: RequestSpans;
    /** The request's trace id, for the audit of an exchange it starts. */
    traceId?: string;
  },
  claim: boolean,
): Promise<SubgraphToken> {
  let entry = tokens.get(request.subgraph);
  if (!entry) {
    const started = performance.now();
    const span = request.spans?.open('deputy.token_exchange', SpanKind.INTERNAL, { 'deputy.subgraph': request.subgraph });
    // The span is the exchange's parent: a token request to the authorization server, if one is made, opens under it.
    const pending = request.exchanger.tokenFor(request.caller, request.subgraph, request.delegation, undefined, { span, traceId: request.traceId });
    const created: RequestTokenEntry = { pending, settled: false, claimed: false };
    // Settles once per subgraph per request: that is one delegation decision to report. (A
    // prefetch nobody awaits yet must not become an unhandled rejection; awaiters still see the error.)
    pending.then(
      (token) => {
        created.settled = true;
        span?.end();
        request.report?.(request.subgraph, { token, ms: performance.now() - started });
      },
      (error: unknown) => {
        created.settled = true;
        span?.end((error as { reason?: string }).reason ?? true);
        request.report?.(request.subgraph, { error, ms: performance.now() - started });
      },
    );
    tokens.set(request.subgraph, created);
    entry = created;
  }
  if (!claim || !entry.claimed) {
    entry.claimed ||= claim;
    return entry.pending;
  }
  const started = performance.now();
  const source = entry.settled ? 'cache' : 'coalesced';
  const token = await entry.pending;
  return { ...token, source, waitMs: performance.now() - started };
}
