import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloGateway } from '@apollo/gateway';
import type { Logger } from 'pino';
import { noReportingPlugins } from '../../lib/apollo/noPhoningHome.js';
import type { RouterContext } from '../routerContext.js';
import type { RequestLimits } from '../limits/requestLimits.js';
import { demandControlPlugin } from '../limits/demandControlPlugin.js';
import { readCostDirectives } from '../limits/costDirectives.js';
import { refuseUnservableOperations } from '../limits/refuseUnservableOperations.js';
import type { SchemaManager } from '../schema/schemaManager.js';
import { delegationTracePlugin } from '../trace/delegationTracePlugin.js';
import type { RouterMetrics } from '../observability/metrics.js';
import { requestMetricsPlugin } from '../observability/requestMetricsPlugin.js';
import { graphqlSpanPlugin } from '../observability/graphqlSpanPlugin.js';
import { logInternalErrorsPlugin } from './logInternalErrorsPlugin.js';
import { requestAuditPlugin } from '../audit/requestAuditPlugin.js';
import type { UsageRecorder } from '../usage/usageRecorder.js';
import { usagePlugin } from '../usage/usagePlugin.js';

/** Apollo Server over the gateway, with the router's plugins in the order they act. */
export function createApolloServer(options: {
  gateway: ApolloGateway;
  limits: RequestLimits;
  schema: SchemaManager;
  metrics: RouterMetrics;
  /** The router's own client id (named in delegation traces). */
  clientId: string;
  logger: Logger;
  /** Field usage per client id and operation name, for the schema registry; off when absent. */
  usage?: { recorder: UsageRecorder };
}): ApolloServer<RouterContext> {
  const { limits, schema, metrics } = options;
  // Federation's @cost/@listSize of the served supergraph, read again when it changes.
  let costDirectives = { hash: schema.state.hash, directives: readCostDirectives(schema.state.sdl) };
  const currentCostDirectives = () => {
    if (costDirectives.hash !== schema.state.hash) costDirectives = { hash: schema.state.hash, directives: readCostDirectives(schema.state.sdl) };
    return costDirectives.directives;
  };
  return new ApolloServer<RouterContext>({
    gateway: options.gateway,
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
      delegationTracePlugin(options.clientId),
      requestMetricsPlugin(metrics),
      requestAuditPlugin(),
      logInternalErrorsPlugin(options.logger),
      graphqlSpanPlugin(),
      // Records at executionDidStart: an operation refused before execution (cost, unservable) counts for nothing.
      ...(options.usage ? [usagePlugin<RouterContext>(options.usage.recorder, (context) => context.caller?.clientId)] : []),
    ],
  });
}
