import type { IncomingMessage } from 'node:http';
import { close, listen } from '../lib/http/listen.js';
import { createRoutedServer, healthRoute, type RouteHandler } from '../lib/http/createRoutedServer.js';
import { waitForIssuer } from './edge/waitForIssuer.js';
import { edgeTokenPolicy } from './edge/edgeTokenPolicy.js';
import { createCallerAuthenticator } from './edge/authenticateCaller.js';
import { createRequestChecker, limitsOf } from './limits/requestLimits.js';
import { consoleRoutes } from './console/serveConsole.js';
import { consoleSchemaRoute } from './console/consoleSchemaRoute.js';
import type { RouterConfig } from './config/configSchema.js';
import { createGateway } from './createGateway.js';
import { createTokenExchanger } from './createTokenExchanger.js';
import { DEFAULT_SUPERGRAPH_FILE, subgraphSources } from './loadSupergraph.js';
import type { TokenExchanger } from './delegation/tokenExchanger.js';
import { TraceRegistry } from './trace/traceRegistry.js';
import { traceIdFrom, traceparentOf } from './trace/traceContext.js';
import { createDelegateHandler } from './broker/handleDelegate.js';
import { createBrokeredOperationCheck } from './broker/checkBrokeredOperation.js';
import { SchemaManager } from './schema/schemaManager.js';
import { openRegistry, registryUnreachable } from './schema/openRegistry.js';
import { retryWithBackoff } from '../lib/retryWithBackoff.js';
import { startSchemaRegistry, startUsageRecorder } from './schema/startSchemaRegistry.js';
import { createServiceSdlReader } from './registry/createServiceSdlReader.js';
import { sourcesOf } from '../registry/operations/checkProposal.js';
import { watchSupergraphFile } from './schema/watchSupergraphFile.js';
import { openSharedRedis } from './shared/openSharedRedis.js';
import { readSharedSupergraph, shareSupergraph } from './shared/sharedSupergraph.js';
import type { AuditLog } from './audit/auditLog.js';
import { chooseAuditSink } from './audit/chooseAuditSink.js';
import { readinessRoute, livenessRoute, startingRoutes, type WaitingFor } from './observability/readiness.js';
import { metricsRoute } from './observability/metricsRoute.js';
import { countDenials } from './observability/countDenials.js';
import { trackSupergraph } from './observability/trackSupergraph.js';
import { exchangeObserver, setupObservability, type ObservedSizes } from './observability/setupObservability.js';
import { createLogger, type Logger } from './observability/createLogger.js';
import { describeError } from './observability/swallowedErrors.js';
import { createApolloServer } from './graphql/createApolloServer.js';
import { createGraphQLHandler } from './graphql/createGraphQLHandler.js';
import { CleanupStack } from './lifecycle/cleanupStack.js';
import { startRevocation } from './revocation/startRevocation.js';

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
  /** Told once the router listens but cannot serve yet (the issuer or the registry's PostgreSQL is unreachable), and why. */
  onWaiting?: (url: string, problem: string, waitingFor: WaitingFor) => void;
  /** Aborts a start still waiting for the issuer (the process is being stopped). */
  signal?: AbortSignal;
  /** Where audit events go; default from config.audit. */
  audit?: AuditLog;
  /** The router's logger; default JSON lines on stderr at DEPUTY_LOG_LEVEL (info). */
  logger?: Logger;
}

/**
 * Starts the router. In order: observability, shared store, supergraph, the listener (which
 * answers "starting" at once), issuer discovery, audit sink, token exchanger, gateway and
 * schema management, Apollo, then every endpoint. A failed start closes all it opened.
 */
export async function startRouter(config: RouterConfig, options: StartRouterOptions = {}): Promise<RunningRouter> {
  const logger = options.logger ?? createLogger();
  const cleanup = new CleanupStack((error) => logger.warn({ error: describeError(error) }, 'a part of the router did not close cleanly'));
  try {
    return await startParts(config, options, logger, cleanup);
  } catch (error) {
    await cleanup.closeAll();
    throw error;
  }
}

async function startParts(config: RouterConfig, options: StartRouterOptions, logger: Logger, cleanup: CleanupStack): Promise<RunningRouter> {
  const sizes: ObservedSizes = {};
  const { metrics, telemetry, errors } = await setupObservability(config, logger, sizes);
  cleanup.resource(() => telemetry.shutdown());
  const redis = await openSharedRedis(config.shared, errors);
  if (redis) cleanup.resource(() => redis.close());

  // Listen before the issuer and the registry are known: /health/live answers at once,
  // /health/ready and every other route say "not ready" (503) until the issuer's metadata and
  // keys have been fetched and the registry's current version read.
  const traceIds = new WeakMap<IncomingMessage, string>();
  const logFault = (error: unknown, req: IncomingMessage) =>
    logger.error({ traceId: traceIds.get(req) ?? traceIdFrom(traceparentOf(req)), method: req.method, path: req.url?.split('?')[0], error: describeError(error) }, 'internal server error (500)');
  const waiting = { for: 'issuer' as WaitingFor };
  const routes: Record<string, RouteHandler> = startingRoutes(waiting);
  const server = createRoutedServer(routes, logFault);
  const port = await listen(server, config.listen.host, config.listen.port, options.portHint);
  cleanup.listener(() => close(server));
  const url = `http://${config.listen.host}:${port}/graphql`;
  const signal = options.signal ?? new AbortController().signal;
  const issuer = await waitForIssuer(config.auth.issuer, config.auth.jwksUri, (problem) => options.onWaiting?.(url, problem, 'issuer'), signal);
  const edgePolicy = edgeTokenPolicy(config.auth, issuer.keys);
  // With a registry in PostgreSQL, every instance starts on its current version (waiting for
  // PostgreSQL as for the issuer). Without one, on the latest supergraph another instance shared
  // through Redis, else its own file.
  waiting.for = 'registry';
  const stored = redis && !config.registry.postgres.url ? await readSharedSupergraph(redis, config.shared.keyPrefix, errors) : undefined;
  const registry = await retryWithBackoff(() => openRegistry(config, errors, stored), (problem) => options.onWaiting?.(url, problem, 'registry'), signal, registryUnreachable);
  cleanup.resource(() => registry.store.close());
  const initial = registry.initial;
  const supergraphSdl = initial.supergraphSdl;

  const sink = chooseAuditSink(config, redis, options.audit, { errors, onOverflow: (outcome, count) => metrics.auditOverflow.inc({ outcome }, count) });
  sizes.audit = sink.stats;
  cleanup.resource(sink.flush);
  const { audit } = sink;
  const revocation = await startRevocation({ config, issuer, redis, audit, metrics, errors, cleanup });
  const exchanger = await createTokenExchanger(config, issuer.token_endpoint, redis, exchangeObserver(metrics, audit), errors, revocation.list);
  sizes.tokenCache = () => exchanger.cacheSize;
  const { gateway, subgraphs, update } = createGateway({
    supergraphSdl,
    subgraphs: config.subgraphs,
    exchanger,
    onFetch: (subgraph, outcome, seconds) => metrics.fetchDuration.observe({ subgraph, outcome }, seconds),
    onResponse: countDenials(metrics),
    deduplicateFetches: config.traffic.deduplicateFetches,
    onDeduplicated: (subgraph) => metrics.fetchesDeduplicated.inc({ subgraph }),
    errors,
  });
  const schema = new SchemaManager(supergraphSdl, sourcesOf(initial), update, initial.version);
  trackSupergraph(metrics, schema);
  if (redis && !registry.shared) {
    const stopSharing = shareSupergraph(redis, config.shared.keyPrefix, schema, errors);
    cleanup.resource(stopSharing);
  }
  if (config.supergraph.watch && !config.supergraph.rover && !registry.shared) {
    const watcher = watchSupergraphFile(config.supergraph.file ?? DEFAULT_SUPERGRAPH_FILE, schema, () => subgraphSources(config.supergraph), { logger, errors });
    cleanup.resource(() => watcher.close());
  }

  const limits = limitsOf(config);
  const checkRequest = createRequestChecker(limits);
  const usage = startUsageRecorder(config, registry, errors, logger, cleanup);
  const apollo = createApolloServer({ gateway, limits, schema, metrics, clientId: config.exchange.clientId, logger, usage: usage && { recorder: usage } });
  await apollo.start();
  cleanup.resource(() => apollo.stop());
  const traces = new TraceRegistry();
  // One authenticator (and one cache of verified tokens) for /graphql and the console's schema.
  const authenticateCaller = createCallerAuthenticator(edgePolicy, config.auth.allowAnonymous, revocation.edge);
  const handleGraphQL = createGraphQLHandler({
    apollo,
    authenticateCaller,
    checkRequest,
    limits,
    bodyLimitBytes: config.listen.bodyLimitBytes,
    tracePolicy: { mode: config.trace.policy, scope: config.trace.scope },
    traces,
    audit,
    metrics,
    telemetry,
    traceIds,
  });
  const handleDelegate = createDelegateHandler({
    policy: config.broker,
    servicePolicy: edgePolicy,
    services: subgraphs,
    checkOperations: createBrokeredOperationCheck(checkRequest, limits),
    maxBatchSize: config.broker.maxBatchSize,
    exchanger,
    traces,
    audit,
    logger,
    timeoutMs: config.broker.timeoutMs,
    bodyLimitBytes: config.listen.bodyLimitBytes,
    retryAfterSeconds: Math.max(1, Math.ceil(config.exchange.circuitBreaker.halfOpenAfterMs / 1000)),
    telemetry,
    countCall: (labels) => metrics.brokerCalls.inc(labels),
  });
  const readServiceSdl = await createServiceSdlReader(config, issuer.token_endpoint);
  const adminRoutes = await startSchemaRegistry(
    { config, opened: registry, schema, adminToken: { ...edgePolicy, audience: config.admin.audience }, readServiceSdl, audit, errors, logger, cleanup },
    usage,
  );
  const handleMetrics = metricsRoute(metrics.registry, config.metrics.bearerToken);
  let metricsPort: number | undefined;
  if (config.metrics.listen) {
    const metricsServer = createRoutedServer({ '/metrics': handleMetrics, '/health': healthRoute }, logFault);
    metricsPort = await listen(metricsServer, config.metrics.listen.host, config.metrics.listen.port, 'Set metrics.listen.port to another port.');
    cleanup.listener(() => close(metricsServer));
  }

  // Ready: every route now serves (the starting ones are replaced, /metrics only without metrics.listen).
  const readiness = readinessRoute(redis, config.shared.required);
  for (const path of Object.keys(routes)) delete routes[path];
  Object.assign(routes, {
    ...((config.console.enabled ?? config.mode === 'development')
      ? { ...consoleRoutes(config.auth.issuer), '/console/schema': consoleSchemaRoute(authenticateCaller, () => gateway.schema) }
      : {}),
    '/health': readiness,
    '/health/ready': readiness,
    '/health/live': livenessRoute,
    ...(config.metrics.listen ? {} : { '/metrics': handleMetrics }),
    '/graphql': handleGraphQL,
    '/delegate': handleDelegate,
    ...revocation.routes,
    ...adminRoutes,
  });
  return {
    port,
    url,
    metricsUrl: `http://${config.metrics.listen?.host ?? config.listen.host}:${metricsPort ?? port}/metrics`,
    exchanger,
    schema,
    // Stop accepting (requests in flight finish on their connections first), then close the rest.
    stop: () => cleanup.closeAll(),
  };
}
