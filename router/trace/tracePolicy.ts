import type { Caller } from '../edge/authenticateCaller.js';

/** Who may receive a delegation trace: nobody, callers holding a scope, or everyone (local development). */
export interface TracePolicy {
  mode: 'never' | 'scope' | 'always';
  scope: string;
}

/** The header a client sends to ask for a trace. */
export const TRACE_HEADER = 'x-delegation-trace';

/** Sent beside TRACE_HEADER, asks for the query plan in the trace (`queryPlan`). */
export const QUERY_PLAN_HEADER = 'x-query-plan';

/** Whether this caller may see a trace, and if not, why (for the warning). */
export function traceAllowed(policy: TracePolicy, caller: Caller | undefined): { allowed: true } | { allowed: false; why: string } {
  if (policy.mode === 'always') return { allowed: true };
  if (policy.mode === 'never') return { allowed: false, why: 'delegation traces are disabled on this router' };
  if (caller?.scopes.includes(policy.scope)) return { allowed: true };
  return { allowed: false, why: `a delegation trace needs the ${policy.scope} scope` };
}
