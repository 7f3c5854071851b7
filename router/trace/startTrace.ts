import type { RouterContext } from '../routerContext.js';
import { traceAllowed, type TracePolicy } from './tracePolicy.js';
import { TraceRecorder } from './traceRecorder.js';
import type { TraceRegistry } from './traceRegistry.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/**
 * Starts recording a trace the caller asked for (with the query plan when `withQueryPlan`), or adds
 * a warning saying why it will not get one.
 */
export function startTrace(context: RouterContext, policy: TracePolicy, registry: TraceRegistry, withQueryPlan = false): void {
  const decision = traceAllowed(policy, context.caller);
  if (decision.allowed && context.caller) {
    context.trace = new TraceRecorder(context.traceId, context.caller, { withQueryPlan });
    registry.add(context.trace);
    return;
  }
  const why = decision.allowed ? 'a delegation trace needs an authenticated caller' : decision.why;
  context.warnings.push({ code: ErrorCode.DELEGATION_TRACE_NOT_ALLOWED, message: `No delegation trace: ${why}.` });
}
