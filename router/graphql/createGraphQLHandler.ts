import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { serveGraphQL, writeGraphQLError, writeUnauthenticated, type GraphQLHttpRequest } from '../../lib/http/serveGraphQL.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { InvalidTokenError } from '../../lib/verifyAccessToken.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { CallerAuthenticator } from '../edge/authenticateCaller.js';
import type { RequestLimits } from '../limits/requestLimits.js';
import { createSubjectConcurrency } from '../limits/subjectConcurrency.js';
import type { RouterMetrics } from '../observability/metrics.js';
import type { Telemetry } from '../observability/telemetry.js';
import { delegationAudit } from '../observability/auditEvents.js';
import { RequestAudit } from '../audit/requestAudit.js';
import type { RouterContext } from '../routerContext.js';
import { startTrace } from '../trace/startTrace.js';
import { traceIdFrom, traceparentOf } from '../trace/traceContext.js';
import { QUERY_PLAN_HEADER, TRACE_HEADER, type TracePolicy } from '../trace/tracePolicy.js';
import type { TraceRegistry } from '../trace/traceRegistry.js';

/** What POST /graphql needs from the router. */
export interface GraphQLHandlerDeps {
  apollo: ApolloServer<RouterContext>;
  authenticateCaller: CallerAuthenticator;
  checkRequest: (request: GraphQLHttpRequest) => void;
  limits: RequestLimits;
  bodyLimitBytes: number;
  tracePolicy: TracePolicy;
  traces: TraceRegistry;
  audit: AuditLog;
  metrics: RouterMetrics;
  telemetry: Telemetry;
  /** Remembers each request's trace id, so a 500 for it is logged under that id. */
  traceIds: WeakMap<IncomingMessage, string>;
}

/**
 * POST /graphql, in order: the request's trace id and spans, the caller (401 without any
 * subgraph or exchange work), the caller's share of concurrency (429), the audit of its
 * delegations and the trace if asked for, then Apollo; the request's own audit events when
 * its response ends.
 */
export function createGraphQLHandler(deps: GraphQLHandlerDeps) {
  const { limits, metrics } = deps;
  const concurrency = createSubjectConcurrency(limits.maxConcurrentPerSubject);
  return async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const incoming = traceparentOf(req);
    // The request span ends when the response does, with its status (observability/telemetry.ts).
    const spans = deps.telemetry.startRequest(req, res, 'deputy.graphql');
    const context: RouterContext = { traceId: spans?.traceId ?? traceIdFrom(incoming), spans, subgraphTokens: new Map(), warnings: [] };
    deps.traceIds.set(req, context.traceId);
    // The request's audit is written when its response ends, however it ends (a fault's 500 too).
    const requestAudit = (context.requestAudit = new RequestAudit(deps.audit, context));
    res.once('close', () => requestAudit.finish(res.statusCode));
    try {
      context.caller = await deps.authenticateCaller(req);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      metrics.requests.inc({ outcome: 'unauthenticated' });
      requestAudit.refused(error);
      // RFC 6750 §3: a 401 names the scheme and the error; no subgraph or exchange work happens.
      writeUnauthenticated(res, error);
      return;
    }
    const subject = context.caller ? `sub:${context.caller.sub}` : `anonymous:${req.socket.remoteAddress}`;
    if (!concurrency.enter(subject)) {
      metrics.rejected.inc({ code: ErrorCode.TOO_MANY_REQUESTS });
      requestAudit.refused({ code: ErrorCode.TOO_MANY_REQUESTS });
      res.setHeader('retry-after', '1');
      writeGraphQLError(res, 429, ErrorCode.TOO_MANY_REQUESTS, `Too many requests in flight for this user (at most ${limits.maxConcurrentPerSubject}); retry after 1 s`, { limit: limits.maxConcurrentPerSubject });
      return;
    }
    context.reportDelegation = delegationAudit(deps.audit, context);
    if (req.headers[TRACE_HEADER] === '1') startTrace(context, deps.tracePolicy, deps.traces, req.headers[QUERY_PLAN_HEADER] === '1');
    try {
      await serveGraphQL(req, res, { server: deps.apollo, context: async () => context, bodyLimitBytes: deps.bodyLimitBytes, checkRequest: deps.checkRequest, maxResponseBytes: limits.maxResponseBytes, onRefusal: (refusal) => requestAudit.refused(refusal) });
    } finally {
      concurrency.leave(subject);
      if (context.trace) deps.traces.remove(context.trace);
    }
  };
}
