import type { ChainHop, DelegationTrace, FieldTrace } from './delegationTrace.js';
import type { TraceRecorder } from './traceRecorder.js';

/** Assembles `extensions.delegationTrace` from a request's recorded fetches; its `durationMs` is now, the response's send. */
export function buildTrace(recorder: TraceRecorder, operationName: string | null, routerClientId: string): DelegationTrace {
  const { caller } = recorder;
  const callerHop: ChainHop = { role: 'caller', party: caller.sub, clientId: caller.clientId };
  const routerHop: ChainHop = { role: 'router', party: routerClientId };
  const fields: Record<string, FieldTrace> = {};
  for (const fetch of recorder.fetches) {
    for (const path of fetch.resolvedFields) {
      const existing = fields[path];
      if (existing) {
        existing.fetches.push(fetch.id);
        continue;
      }
      const subgraphHop: ChainHop = { role: 'subgraph', party: fetch.subgraph, audience: fetch.audience, tokenJti: fetch.token?.jti };
      fields[path] = { subgraph: fetch.subgraph, fetches: [fetch.id], chain: [callerHop, routerHop, subgraphHop] };
    }
  }
  // A field that needed a brokered hop: its chain goes on to the subgraph the hop reached.
  for (const hop of recorder.fetches.flatMap((fetch) => fetch.hops ?? [])) {
    const field = hop.field ? fields[hop.field] : undefined;
    if (!field || field.chain.some((link) => link.party === hop.target)) continue;
    field.chain.push({ role: 'subgraph', party: hop.target, audience: hop.audience, tokenJti: hop.token?.jti, via: field.subgraph });
  }
  for (const [path, denial] of recorder.denials) {
    if (fields[path]) fields[path].denied = denial;
  }
  return {
    version: 1,
    traceId: recorder.traceId,
    startedAt: recorder.startedAtEpoch(),
    // Taken last, once all else is built: the plugin attaches the trace and the response goes.
    durationMs: recorder.elapsed(),
    request: {
      subject: caller.sub,
      clientId: caller.clientId,
      operationName,
      tokenJti: caller.jti,
      tokenFingerprint: caller.fingerprint.slice(0, 12),
    },
    fetches: recorder.fetches,
    fields,
    ...(recorder.queryPlan === undefined ? {} : { queryPlan: recorder.queryPlan }),
  };
}
