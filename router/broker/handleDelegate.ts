import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from '../../lib/http/readBody.js';
import { isRefusal, RefusalError } from '../../lib/errors/RefusalError.js';
import { tokenKey } from '../../lib/tokenKey.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { TokenExchanger, SubgraphToken } from '../delegation/tokenExchanger.js';
import type { TraceRegistry } from '../trace/traceRegistry.js';
import { parseTraceparent, traceparentOf } from '../trace/traceContext.js';
import type { HopTrace } from '../trace/delegationTrace.js';
import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { readDelegateRequest, type DelegateRequest } from './readDelegateRequest.js';
import { authenticateService } from './authenticateService.js';
import { checkBrokerPolicy, type BrokerPolicy } from './checkBrokerPolicy.js';
import { callTarget } from './callTarget.js';
import { own } from '../../lib/own.js';
import type { Telemetry, OpenSpan } from '../observability/telemetry.js';
import { ANONYMOUS_LABEL, OTHER_LABEL } from '../observability/labelFolder.js';
import type { Logger } from '../observability/createLogger.js';
import { describeError } from '../observability/swallowedErrors.js';

/** What the broker needs from the router: the same broker, policy, trace and audit machinery. */
export interface BrokerDeps {
  policy: BrokerPolicy;
  /** Verifies service tokens (audience: the router). */
  servicePolicy: AccessTokenPolicy;
  /** The registered subgraphs: where each is, its audience and the largest response it may send. */
  services: Map<string, { url: string; audience: string; maxResponseBytes: number }>;
  /** The request limits and cost limit of POST /graphql, for the brokered operation; throws a 400 refusal. */
  checkOperation: (operation: DelegateRequest['request']) => void;
  exchanger: TokenExchanger;
  traces: TraceRegistry;
  audit: AuditLog;
  /** Told of faults (anything but a refusal), with the trace id of the request. */
  logger: Logger;
  timeoutMs: number;
  bodyLimitBytes: number;
  /** Seconds a caller should wait when the authorization server is unavailable. */
  retryAfterSeconds: number;
  /** Opens each call's server span, when tracing is on. */
  telemetry?: Pick<Telemetry, 'startRequest'>;
  /** Counts each call; the caller is a verified client id, the target a registered service or __other__. */
  countCall?: (labels: { caller: string; target: string; outcome: string }) => void;
}

/** What one attempt learned, for its audit event and trace hop. */
interface Attempt {
  caller?: string;
  held?: VerifiedToken;
  request?: DelegateRequest;
  token?: SubgraphToken;
  fetchMs?: number;
  span?: OpenSpan;
}

/**
 * POST /delegate: a service asks the router to call another service for the same user. The
 * checks run in this order: the caller service (before its body is read), the request's shape,
 * the user token it holds, the target, the broker policy (allowlist, loops, depth), the
 * operation's request limits and cost; then one RFC 8693 exchange
 * (subject = the held token, actor = the service) and the call with the issued token.
 */
export function createDelegateHandler(deps: BrokerDeps) {
  return async function handleDelegate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const attempt: Attempt = { span: deps.telemetry?.startRequest(req, res, 'deputy.delegate') };
    let outcome: { status: number; code?: string; reason?: string; rule?: string } = { status: 200 };
    try {
      const result = await delegate(req, deps, attempt);
      send(res, 200, result);
    } catch (error) {
      if (!(error instanceof RefusalError)) {
        deps.logger.error({ traceId: parseTraceparent(traceparentOf(req))?.traceId, path: '/delegate', error: describeError(error) }, 'internal error in a brokered call (502 TARGET_FAILED)');
      }
      const failure = asRefusal(error);
      outcome = { status: failure.status, code: failure.code, reason: failure.reason, rule: failure.details.rule as string | undefined };
      if (failure.details.retryAfterSeconds) res.setHeader('retry-after', String(failure.details.retryAfterSeconds));
      send(res, failure.status, { errors: [{ message: failure.message, extensions: failure.extensions }] });
    } finally {
      record(req, deps, attempt, outcome, performance.now() - started);
    }
  };
}

async function delegate(req: IncomingMessage, deps: BrokerDeps, attempt: Attempt): Promise<unknown> {
  // Who asks comes first: an unauthenticated caller gets nothing read, parsed or checked.
  const service = await authenticateService(req, deps.servicePolicy, (clientId) => own(deps.policy.callers, clientId) !== undefined);
  attempt.caller = service.clientId;
  let body: unknown;
  try {
    body = await readJsonBody(req, deps.bodyLimitBytes);
  } catch (error) {
    // Too large or not JSON: on /delegate both are the caller's malformed body.
    if (error instanceof RefusalError) throw brokerRefusal(400, ErrorCode.BAD_REQUEST, error.message);
    throw error;
  }
  const request = (attempt.request = readDelegateRequest(body));
  const held = (attempt.held = await verifyHeldToken(request.subjectToken, deps, service.clientId));
  const target = deps.services.get(request.target);
  if (!target) throw brokerRefusal(404, ErrorCode.UNKNOWN_TARGET, `no service named ${request.target} is registered`);
  checkBrokerPolicy(deps.policy, service.clientId, held, request.target, request.scopes);
  // The same request limits and cost limit as POST /graphql, before any exchange.
  deps.checkOperation(request.request);
  try {
    // The held token carries only its own subgraph's scopes; the scopes asked for here (already
    // within the broker policy) are capped by the authorization server at what the user consented to.
    attempt.token = await deps.exchanger.tokenFor(
      { token: request.subjectToken, fingerprint: tokenKey(request.subjectToken), exp: held.exp, scopes: request.scopes, clientId: held.clientId },
      request.target,
      { audience: target.audience, scopes: request.scopes, allowedClients: ['*'] },
      { clientId: service.clientId, token: service.token },
      attempt.span,
    );
  } catch (error) {
    if (isRefusal(error, ErrorCode.DELEGATION_DENIED)) throw brokerRefusal(403, error.code, error.message, { reason: error.reason });
    if (isRefusal(error, ErrorCode.DELEGATION_UNAVAILABLE)) {
      throw brokerRefusal(503, error.code, error.message, { reason: error.reason, retryAfterSeconds: deps.retryAfterSeconds });
    }
    throw error;
  }
  const sentAt = performance.now();
  try {
    const traceparent = traceparentOf(req);
    return await callTarget({ name: request.target, url: target.url, maxResponseBytes: target.maxResponseBytes }, attempt.token.token, request.request, deps.timeoutMs, traceparent, attempt.span);
  } finally {
    attempt.fetchMs = performance.now() - sentAt;
  }
}

/** The user token the service holds: valid, unexpired, and for that service's own audience. */
async function verifyHeldToken(token: string, deps: BrokerDeps, callerId: string): Promise<VerifiedToken> {
  const ownSubgraph = own(deps.policy.callers, callerId)!.subgraph;
  const audience = deps.services.get(ownSubgraph)?.audience ?? ownSubgraph;
  try {
    tokenKey(token); // a non-canonical spelling is refused before anything else (malformed_token)
    return await verifyAccessToken(token, { ...deps.servicePolicy, audience });
  } catch (error) {
    if (error instanceof InvalidTokenError) throw brokerRefusal(401, ErrorCode.UNAUTHENTICATED, `The user token is not acceptable: ${error.description}`, { reason: error.reason });
    throw error;
  }
}

function asRefusal(error: unknown): RefusalError {
  if (error instanceof RefusalError) return error;
  return brokerRefusal(502, ErrorCode.TARGET_FAILED, 'the broker could not complete the call', { reason: 'internal' }, error);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** One audit event per attempt, and the hop in the trace of the request that caused it (if traced). */
function record(req: IncomingMessage, deps: BrokerDeps, attempt: Attempt, outcome: { status: number; code?: string; reason?: string; rule?: string }, latencyMs: number): void {
  const parent = parseTraceparent(traceparentOf(req));
  const { token, request, held } = attempt;
  const labels = {
    caller: attempt.caller ?? ANONYMOUS_LABEL,
    // The target is whatever the body named: only a registered service is a label value of its own.
    target: request && deps.services.has(request.target) ? request.target : OTHER_LABEL,
    outcome: outcome.status === 200 ? 'ok' : (outcome.code ?? 'error'),
  };
  deps.countCall?.(labels);
  attempt.span?.setAttributes({ 'deputy.broker.caller': labels.caller, 'deputy.broker.target': labels.target, 'deputy.broker.outcome': labels.outcome });
  deps.audit.write({
    event: 'broker.delegate',
    traceId: parent?.traceId,
    caller: attempt.caller,
    subject: held?.sub,
    target: request?.target,
    audience: token?.audience,
    scopesRequested: request?.scopes,
    scopesGranted: token?.scopes,
    actorChain: token?.actorChain,
    actorChainAssertedBy: token?.actorChainAssertedBy,
    decision: outcome.status === 200 ? 'allowed' : 'refused',
    status: outcome.status,
    code: outcome.code,
    reason: outcome.reason ?? outcome.rule,
    tokenSource: token?.source,
    tokenFingerprint: token?.fingerprint,
    latencyMs: Math.round(latencyMs * 100) / 100,
  });
  const recorder = parent && deps.traces.get(parent.traceId);
  if (!recorder || !attempt.caller || !request || held?.sub !== recorder.caller.sub) return;
  const hop: HopTrace = {
    caller: attempt.caller,
    target: request.target,
    audience: token?.audience ?? deps.services.get(request.target)?.audience ?? request.target,
    scopes: token?.scopes ?? [],
    actorChain: token?.actorChain ?? [],
    ...(token ? { actorChainAssertedBy: token.actorChainAssertedBy } : {}),
    ...(token ? { token: { source: token.source, waitMs: Math.round(token.waitMs * 100) / 100, jti: token.jti, fingerprint: token.fingerprint } } : {}),
    fetchMs: Math.round((attempt.fetchMs ?? 0) * 100) / 100,
    outcome: outcome.status === 200 ? 'ok' : outcome.status === 503 ? 'unavailable' : outcome.status === 502 ? 'failed' : 'denied',
    ...(outcome.status === 200 ? {} : { reason: outcome.reason ?? outcome.rule ?? outcome.code }),
  };
  recorder.recordHop(parent.parentId, hop, request.field);
}
