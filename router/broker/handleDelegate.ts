import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from '../../lib/http/readBody.js';
import { isRefusal, RefusalError } from '../../lib/errors/RefusalError.js';
import { tokenKey } from '../../lib/tokenKey.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { AuditLog } from '../audit/auditLog.js';
import { SubgraphDecisions } from '../audit/subgraphDecisions.js';
import type { TokenExchanger, SubgraphToken } from '../delegation/tokenExchanger.js';
import type { TraceRegistry } from '../trace/traceRegistry.js';
import { parseTraceparent, traceparentOf } from '../trace/traceContext.js';
import type { HopTrace } from '../trace/delegationTrace.js';
import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { readDelegateRequest, type DelegateOperation, type DelegateRequest } from './readDelegateRequest.js';
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
  /** The request limits and cost limit of POST /graphql, for the brokered operations (one, or a batch); throws a 400 refusal. */
  checkOperations: (operations: DelegateOperation[]) => void;
  /** Most operations in one batched call (`broker.maxBatchSize`). */
  maxBatchSize: number;
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
  /** Each operation's call to the target, in order: how long it took and, in a batch, its own outcome. */
  calls: { fetchMs: number; outcome?: Outcome }[];
  span?: OpenSpan;
}

/** How an attempt, or one operation of a batch, ended. */
interface Outcome {
  status: number;
  code?: string;
  reason?: string;
  rule?: string;
}

/** A batch's answer: each operation's status and body, in the order of `requests`. */
interface BatchResult {
  status: number;
  body: unknown;
}

/**
 * POST /delegate: a service asks the router to call another service for the same user. The
 * checks run in this order: the caller service (before its body is read), the request's shape,
 * the user token it holds, the target, the broker policy (allowlist, loops, depth), the
 * operation's request limits and cost; then one RFC 8693 exchange
 * (subject = the held token, actor = the service) and the call with the issued token. A batch
 * (`requests`) passes the same checks once for all its operations (limits for each, and cost
 * together), takes one exchange, and answers each operation's status and body in order.
 */
export function createDelegateHandler(deps: BrokerDeps) {
  return async function handleDelegate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const attempt: Attempt = { calls: [], span: deps.telemetry?.startRequest(req, res, 'deputy.delegate') };
    let outcome: Outcome = { status: 200 };
    try {
      const result = await delegate(req, deps, attempt);
      send(res, 200, result);
    } catch (error) {
      if (!(error instanceof RefusalError)) {
        deps.logger.error({ traceId: parseTraceparent(traceparentOf(req))?.traceId, path: '/delegate', error: describeError(error) }, 'internal error in a brokered call (502 TARGET_FAILED)');
      }
      const failure = asRefusal(error);
      outcome = outcomeOf(failure);
      if (failure.details.retryAfterSeconds) res.setHeader('retry-after', String(failure.details.retryAfterSeconds));
      send(res, failure.status, errorBody(failure));
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
  const request = (attempt.request = readDelegateRequest(body, deps.maxBatchSize));
  const held = (attempt.held = await verifyHeldToken(request.subjectToken, deps, service.clientId));
  if (deps.exchanger.isRevoked(held)) throw brokerRefusal(401, ErrorCode.UNAUTHENTICATED, 'The user token is not acceptable: it was revoked by its issuer', { reason: 'token_revoked' });
  const target = deps.services.get(request.target);
  if (!target) throw brokerRefusal(404, ErrorCode.UNKNOWN_TARGET, `no service named ${request.target} is registered`);
  checkBrokerPolicy(deps.policy, service.clientId, held, request.target, request.scopes);
  // The same request limits and cost limit as POST /graphql, before any exchange: for each
  // operation, and for a batch as a whole.
  deps.checkOperations(request.operations.map((operation) => operation.request));
  try {
    // The held token carries only its own subgraph's scopes; the scopes asked for here (already
    // within the broker policy) are capped by the authorization server at what the user consented to.
    attempt.token = await deps.exchanger.tokenFor(
      { token: request.subjectToken, fingerprint: tokenKey(request.subjectToken), exp: held.exp, scopes: request.scopes, clientId: held.clientId, sub: held.sub, claims: held.claims },
      request.target,
      { audience: target.audience, scopes: request.scopes, allowedClients: ['*'] },
      { clientId: service.clientId, token: service.token },
      { span: attempt.span, traceId: parseTraceparent(traceparentOf(req))?.traceId },
    );
  } catch (error) {
    if (isRefusal(error, ErrorCode.DELEGATION_DENIED)) throw brokerRefusal(403, error.code, error.message, { reason: error.reason });
    if (isRefusal(error, ErrorCode.DELEGATION_UNAVAILABLE)) {
      throw brokerRefusal(503, error.code, error.message, { reason: error.reason, retryAfterSeconds: deps.retryAfterSeconds });
    }
    throw error;
  }
  const traceparent = traceparentOf(req);
  const targetCall = { name: request.target, url: target.url, maxResponseBytes: target.maxResponseBytes };
  const call = async (operation: DelegateOperation, i: number): Promise<unknown> => {
    const sentAt = performance.now();
    attempt.calls[i] = { fetchMs: 0 };
    try {
      const answer = await callTarget(targetCall, attempt.token!.token, operation, deps.timeoutMs, traceparent, attempt.span);
      // The target's own decisions, under the trace of the request that caused the call.
      const decisions = new SubgraphDecisions();
      decisions.add(answer as GatewayGraphQLResponse);
      const event = decisions.event(request.target, { traceId: parseTraceparent(traceparent)?.traceId, subject: held.sub, client: held.clientId, via: service.clientId });
      if (event) deps.audit.write(event);
      return answer;
    } finally {
      attempt.calls[i].fetchMs = performance.now() - sentAt;
    }
  };
  if (!request.batch) return call(request.operations[0].request, 0);
  // A batch: one exchange (above), then each operation its own call to the target, concurrently;
  // one operation's failure is its own result, not the batch's.
  const results = await Promise.all(
    request.operations.map(async ({ request: operation }, i): Promise<BatchResult> => {
      try {
        const answer = await call(operation, i);
        attempt.calls[i].outcome = { status: 200 };
        return { status: 200, body: answer };
      } catch (error) {
        if (!(error instanceof RefusalError)) throw error;
        attempt.calls[i].outcome = outcomeOf(error);
        return { status: error.status, body: errorBody(error) };
      }
    }),
  );
  return { results };
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

function outcomeOf(failure: RefusalError): Outcome {
  return { status: failure.status, code: failure.code, reason: failure.reason, rule: failure.details.rule as string | undefined };
}

function errorBody(failure: RefusalError): { errors: unknown[] } {
  return { errors: [{ message: failure.message, extensions: failure.extensions }] };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** One audit event per attempt, and its hops (one per operation) in the trace of the request that caused it (if traced). */
function record(req: IncomingMessage, deps: BrokerDeps, attempt: Attempt, outcome: Outcome, latencyMs: number): void {
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
    tokenJti: token?.jti,
    ...(request?.batch ? { operations: request.operations.length } : {}),
    latencyMs: Math.round(latencyMs * 100) / 100,
  });
  const recorder = parent && deps.traces.get(parent.traceId);
  if (!recorder || !attempt.caller || !request || held?.sub !== recorder.caller.sub) return;
  request.operations.forEach(({ field }, i) => {
    const call = attempt.calls[i];
    // In a batch each operation has its own outcome; one that was never sent shares the attempt's.
    const ended = call?.outcome ?? outcome;
    const hop: HopTrace = {
      caller: attempt.caller!,
      target: request.target,
      audience: token?.audience ?? deps.services.get(request.target)?.audience ?? request.target,
      scopes: token?.scopes ?? [],
      actorChain: token?.actorChain ?? [],
      ...(token ? { actorChainAssertedBy: token.actorChainAssertedBy } : {}),
      ...(token ? { token: { source: token.source, waitMs: Math.round(token.waitMs * 100) / 100, jti: token.jti, fingerprint: token.fingerprint } } : {}),
      fetchMs: Math.round((call?.fetchMs ?? 0) * 100) / 100,
      outcome: ended.status === 200 ? 'ok' : ended.status === 503 ? 'unavailable' : ended.status === 502 ? 'failed' : 'denied',
      ...(ended.status === 200 ? {} : { reason: ended.reason ?? ended.rule ?? ended.code }),
    };
    recorder.recordHop(parent.parentId, hop, field);
  });
}
