import type { AuthorizationDecision, DelegationTrace, FetchTrace, FieldTrace, HopTrace } from '../../../router/publishedTypes.js';

/** A fetch of `subgraph` that went well, with what the test overrides. */
export function fetchOf(id: number, subgraph: string, extra: Partial<FetchTrace> = {}): FetchTrace {
  return { id, subgraph, audience: subgraph, scopes: [`${subgraph}:read`], actorChain: [], startMs: 0, fetchMs: 1, planPath: '', resolvedFields: [], outcome: 'ok', authorization: [], token: { source: 'exchange', obtained: 'prefetched', requestStartMs: 0, requestEndMs: 1, waitMs: 1, jti: `jti-${id}`, fingerprint: 'f'.repeat(12) }, ...extra };
}

/** A field resolved by these fetches of `subgraph`. */
export function fieldOf(subgraph: string, fetches: number[], extra: Partial<FieldTrace> = {}): FieldTrace {
  return { subgraph, fetches, chain: [], ...extra };
}

export function decision(field: string, kind: AuthorizationDecision['decision'], count: number, rule = 'a rule'): AuthorizationDecision {
  return { field, decision: kind, rule, count };
}

export function hopTo(target: string, extra: Partial<HopTrace> = {}): HopTrace {
  return { caller: 'accounts-service', target, audience: target, scopes: [`${target}:read`], actorChain: [], fetchMs: 1, outcome: 'ok', ...extra };
}

/** alice's trace of these fetches and fields. */
export function traceOf(fetches: FetchTrace[], fields: Record<string, FieldTrace> = {}): DelegationTrace {
  return { version: 1, traceId: '0'.repeat(32), startedAt: 0, durationMs: 10, request: { subject: 'alice', clientId: 'web-app', operationName: null, tokenJti: 'jti', tokenFingerprint: 'f'.repeat(12) }, fetches, fields };
}
