import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { serveGraphQL, writeGraphQLError, writeUnauthenticated } from '../lib/http/serveGraphQL.js';
import { noReportingPlugins } from '../lib/apollo/noPhoningHome.js';
import { close, listen } from '../lib/http/listen.js';
import { createRoutedServer, healthRoute, type RouteHandler } from '../lib/http/createRoutedServer.js';
import type { IssuerMetadata } from '../lib/discoverIssuer.js';
import type { IssuerKeys } from '../lib/issuerKeys.js';
import { waitForIssuer } from './edge/waitForIssuer.js';
import { InvalidTokenError, type AccessTokenPolicy } from '../lib/verifyAccessToken.js';
import { createRequestChecker, limitsOf } from './limits/requestLimits.js';
import { createSubjectConcurrency } from './limits/subjectConcurrency.js';
import { demandControlPlugin } from './limits/demandControlPlugin.js';
import { readCostDirectives } from './limits/costDirectives.js';
import { refuseUnservableOperations } from './limits/refuseUnservableOperations.js';
import { consoleRoutes } from './console/serveConsole.js';
import type { RouterConfig } from './config/configSchema.js';
import type { RouterContext } from './routerContext.js';
import { createCallerAuthenticator } from './edge/authenticateCaller.js';
import { createGateway } from './createGateway.js';
import { createTokenExchanger } from './createTokenExchanger.js';
import { DEFAULT_SUPERGRAPH_FILE, loadSupergraph, subgraphSources } from './loadSupergraph.js';
import type { TokenExchanger } from './delegation/tokenExchanger.js';
import { delegationTracePlugin } from './trace/delegationTracePlugin.js';
import { TRACE_HEADER, type TracePolicy } from './trace/tracePolicy.js';
import { startTrace } from './trace/startTrace.js';
import { TraceRegistry } from './trace/traceRegistry.js';
import { traceIdFrom } from './trace/traceContext.js';
import { createDelegateHandler } from './broker/handleDelegate.js';
import { createBrokeredOperationCheck } from './broker/checkBrokeredOperation.js';
import { SchemaManager } from './schema/schemaManager.js';
import { createPublishHandler } from './schema/handlePublish.js';
import { watchSupergraphFile } from './schema/watchSupergraphFile.js';
import { SharedRedis } from './shared/sharedRedis.js';
import { readinessRoute, livenessRoute, startingRoutes } from './observability/readiness.js';
import { readSharedSupergraph, shareSupergraph } from './shared/sharedSupergraph.js';
import { createAuditLog, type AuditLog } from './audit/auditLog.js';
import { redisStreamAuditLog } from './audit/redisStreamAuditLog.js';
import { createMetrics } from './observability/metrics.js';
import { delegationAudit, exchangeAudit } from './observability/auditEvents.js';
import { requestMetricsPlugin } from './observability/requestMetricsPlugin.js';
import { createTelemetry } from './observability/telemetry.js';
import { metricsRoute } from './observability/serveMetrics.js';

/** A router listening over HTTP. */
export interface RunningRouter {
  url: string;
  port: number;
  /** Where GET /metrics is served: the router's listener, or metrics.listen. */
  metricsUrl: string;
  exchanger: TokenExchanger;
  /** The served supergraph and the way to change it. */
  schema: SchemaManager;
  /** Stops accepting, lets requests in flight finish, flushes audit and telemetry. */
  stop(): Promise<void>;
}

export interface StartRouterOptions {
  /** Appended to a port-in-use error, e.g. which variable moves the port. */
  portHint?: string;
  /** Told once the router listens but cannot serve yet (the issuer is unreachable), and why. */
  onWaiting?: (url: string, problem: string) => void;
  /** Aborts a start still waiting for the issuer (the process is being stopped). */
  signal?: AbortSignal;
  /** Where audit events go; default from config.audit. */
  audit?: AuditLog;
}

const CIRCUIT_STATE = { closed: 0, 'half-open': 0.5, open: 1 } as const;

/**
 * Starts the router. In order: shared store, supergraph, issuer discovery, observability,
 * token exchanger, gateway and schema management, then the HTTP endpoints.
 */
export async function startRouter(config: RouterConfig, options: StartRouterOptions = {}): Promise<RunningRouter> {
  // Redis is shared state, not a precondition: the router starts without it and connects when it appears.
  const redis = config.shared.redisUrl
    ? new SharedRedis({
        url: config.shared.redisUrl,
        commandTimeoutMs: config.shared.commandTimeoutMs,
        breaker: { failures: 3, openMs: 1000 },
        onStateChange: (_state, detail) => console.error(`deputy: ${detail}`),
      })
    : undefined;
  await redis?.start(Math.max(500, config.shared.commandTimeoutMs * 5));
  // With a shared store, an instance starts on the latest published supergraph, not its file.
  const stored = redis ? await readSharedSupergraph(redis, config.shared.keyPrefix) : undefined;
  const supergraphSdl = stored?.sdl ?? loadSupergraph(config.supergraph);
  // Listen before the issuer is known: /health/live answers at once, /health/ready and every
  // other route say "not ready" (503) until the issuer's metadata and keys have been fetched.
  const routes: Record<string, RouteHandler> = startingRoutes();
  const server = createRoutedServer(routes);
  let port: number;
  try {
    port = await listen(server, config.listen.host, config.listen.port, options.portHint);
  } catch (error) {
    await redis?.close();
    throw error;
  }
  const url = `http://${config.listen.host}:${port}/graphql`;
  let issuer: IssuerMetadata & { keys: IssuerKeys };
  try {
    issuer = await waitForIssuer(config.auth.issuer, config.auth.jwksUri, (problem) => options.onWaiting?.(url, problem), options.signal ?? new AbortController().signal);
  } catch (error) {
    await close(server);
    await redis?.close();
    throw error;
  }
  const edgePolicy: AccessTokenPolicy = {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    algorithms: config.auth.algorithms,
    clockToleranceSeconds: config.auth.clockToleranceSeconds,
    keys: issuer.keys,
  };

  const exchangerRef: { exchanger?: TokenExchanger } = {};
  const auditRef: { stats?: { buffered(): number; lagSeconds(): number } } = {};
  const metrics = createMetrics(() => exchangerRef.exchanger?.cacheSize ?? 0, () => ({ buffered: auditRef.stats?.buffered() ?? 0, lagSeconds: auditRef.stats?.lagSeconds() ?? 0 }));
  const redisAudit =
    !options.audit && config.audit.sink === 'redis' && redis
      ? redisStreamAuditLog(redis, `${config.shared.keyPrefix}audit`, {
          maxBuffered: config.audit.maxBuffered,
          fallbackFile: config.audit.fallbackFile,
          onOverflow: (outcome, count) => metrics.auditOverflow.inc({ outcome }, count),
        })
      : undefined;
  auditRef.stats = redisAudit;
  const audit = options.audit ?? redisAudit ?? createAuditLog(config.audit.sink === 'file' ? { kind: 'file', path: config.audit.file! } : { kind: 'stdout' });
  const telemetry = createTelemetry(config.telemetry);
  const recordExchange = exchangeAudit(audit);
  const exchanger = await createTokenExchanger(config, issuer.token_endpoint, redis, {
    tokenRequested: (result) => metrics.tokenRequests.inc({ result }),
    exchanged: (report) => {
      metrics.exchangeDuration.observe({ result: report.result }, report.ms / 1000);
      recordExchange(report);
    },
    circuitChanged: (state) => metrics.circuitState.set(CIRCUIT_STATE[state]),
  });
  exchangerRef.exchanger = exchanger;

  const { gateway, subgraphs, update } = createGateway({
    supergraphSdl,
    subgraphs: config.subgraphs,
    exchanger,
    onFetch: (subgraph, outcome, seconds) => metrics.fetchDuration.observe({ subgraph, outcome }, seconds),
  });
  const schema = new SchemaManager(supergraphSdl, stored?.sources ?? subgraphSources(config.supergraph), update);
  const stopSharing = redis ? shareSupergraph(redis, config.shared.keyPrefix, schema, (line) => console.error(`deputy: ${line}`)) : undefined;
  const limits = limitsOf(config);
  const checkRequest = createRequestChecker(limits);
  const concurrency = createSubjectConcurrency(limits.maxConcurrentPerSubject);
  // Federation's @cost/@listSize of the served supergraph, read again when it changes.
  let costDirectives = { hash: schema.state.hash, directives: readCostDirectives(schema.state.sdl) };
  const currentCostDirectives = () => {
    if (costDirectives.hash !== schema.state.hash) costDirectives = { hash: schema.state.hash, directives: readCostDirectives(schema.state.sdl) };
    return costDirectives.directives;
  };
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    introspection: limits.introspection,
    allowBatchedHttpRequests: limits.maxBatchSize > 1,
    // The router drains and exits on SIGTERM itself (stopOnSignalOrParentExit): Apollo's own
    // handler would stop the server first and leave requests in flight and the audit unflushed.
    stopOnTerminationSignals: false,
    // Stack traces name files and internals of the router; clients get codes and messages.
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...noReportingPlugins<RouterContext>(),
      refuseUnservableOperations(),
      demandControlPlugin({ maxCost: limits.maxCost, settings: limits, directives: currentCostDirectives, metrics }),
      delegationTracePlugin(config.exchange.clientId),
      requestMetricsPlugin(metrics),
    ],
  });
  await apollo.start();
  const tracePolicy: TracePolicy = { mode: config.trace.policy, scope: config.trace.scope };
  const traces = new TraceRegistry();
  const authenticateCaller = createCallerAuthenticator(edgePolicy, config.auth.allowAnonymous);

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse) => {
    const incoming = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
    const spans = telemetry.startRequest(incoming, 'deputy.graphql');
    const context: RouterContext = { traceId: spans?.traceId ?? traceIdFrom(incoming), spans, subgraphTokens: new Map(), warnings: [] };
    try {
      context.caller = await authenticateCaller(req);
    } catch (error) {
      spans?.request.end();
      if (!(error instanceof InvalidTokenError)) throw error;
      metrics.requests.inc({ outcome: 'unauthenticated' });
      // RFC 6750 §3: a 401 names the scheme and the error; no subgraph or exchange work happens.
      writeUnauthenticated(res, error);
      return;
    }
    const subject = context.caller ? `sub:${context.caller.sub}` : `anonymous:${req.socket.remoteAddress}`;
    if (!concurrency.enter(subject)) {
      spans?.request.end();
      metrics.rejected.inc({ code: 'TOO_MANY_REQUESTS' });
      res.setHeader('retry-after', '1');
      writeGraphQLError(res, 429, 'TOO_MANY_REQUESTS', `Too many requests in flight for this user (at most ${limits.maxConcurrentPerSubject}); retry after 1 s`, { limit: limits.maxConcurrentPerSubject });
      return;
    }
    context.reportDelegation = delegationAudit(audit, context);
    if (req.headers[TRACE_HEADER] === '1') startTrace(context, tracePolicy, traces);
    try {
      await serveGraphQL(req, res, { server: apollo, context: async () => context, bodyLimitBytes: config.listen.bodyLimitBytes, checkRequest, maxResponseBytes: limits.maxResponseBytes });
    } finally {
      concurrency.leave(subject);
      if (context.trace) traces.remove(context.trace);
      spans?.request.end();
    }
  };
  const handleDelegate = createDelegateHandler({
    policy: config.broker,
    servicePolicy: edgePolicy,
    services: subgraphs,
    checkOperation: createBrokeredOperationCheck(checkRequest, limits),
    exchanger,
    traces,
    audit,
    timeoutMs: config.broker.timeoutMs,
    bodyLimitBytes: config.listen.bodyLimitBytes,
    retryAfterSeconds: Math.max(1, Math.ceil(config.exchange.circuitBreaker.halfOpenAfterMs / 1000)),
  });
  const handlePublish = createPublishHandler(
    { token: { ...edgePolicy, audience: config.admin.audience }, scope: config.admin.publishScope, teams: config.admin.teams },
    schema,
    audit,
  );
  const handleMetrics = metricsRoute(metrics.registry, config.metrics.bearerToken);
  const watcher =
    config.supergraph.watch && !config.supergraph.rover
      ? watchSupergraphFile(config.supergraph.file ?? DEFAULT_SUPERGRAPH_FILE, schema, () => subgraphSources(config.supergraph))
      : undefined;

  const consoleEnabled = config.console.enabled ?? config.mode === 'development';
  const readiness = readinessRoute(redis, config.shared.required);
  const metricsServer = config.metrics.listen ? createRoutedServer({ '/metrics': handleMetrics, '/health': healthRoute }) : undefined;
  let metricsPort: number | undefined;
  try {
    if (metricsServer && config.metrics.listen) metricsPort = await listen(metricsServer, config.metrics.listen.host, config.metrics.listen.port, 'Set metrics.listen.port to another port.');
  } catch (error) {
    await close(server);
    await apollo.stop();
    await redis?.close();
    throw error;
  }
  // Ready: every route now serves (the starting ones are replaced, /metrics only without metrics.listen).
  for (const path of Object.keys(routes)) delete routes[path];
  Object.assign(routes, {
    ...(consoleEnabled ? consoleRoutes(config.auth.issuer) : {}),
    '/health': readiness,
    '/health/ready': readiness,
    '/health/live': livenessRoute,
    ...(config.metrics.listen ? {} : { '/metrics': handleMetrics }),
    '/graphql': handleGraphQL,
    '/delegate': handleDelegate,
    '/admin/schema': handlePublish,
  });
  return {
    port,
    url,
    metricsUrl: `http://${config.metrics.listen?.host ?? config.listen.host}:${metricsPort ?? port}/metrics`,
    exchanger,
    schema,
    async stop() {
      watcher?.close();
      // Stop accepting; requests in flight finish on their connections first.
      await close(server);
      if (metricsServer) await close(metricsServer);
      await apollo.stop();
      await stopSharing?.();
      await (audit as { flush?: () => unknown }).flush?.();
      await telemetry.shutdown();
      await redis?.close();
    },
  };
}
