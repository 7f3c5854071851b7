import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';
import type { RouterMetrics } from './metrics.js';

/**
 * Counts every GraphQL response by outcome (ok, partial: data and errors, error) and times it
 * by operation name and client id, both folded to a bounded set of label values.
 */
export function requestMetricsPlugin(metrics: RouterMetrics): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, contextValue }) {
          // operationName is the resolved operation's own name (a name the schema validated), never the raw request field.
          const labels = { operation: metrics.labels.operation.fold(operationName), client: metrics.labels.client.fold(contextValue.caller?.clientId) };
          metrics.requestDuration.observe(labels, (performance.now() - started) / 1000);
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          metrics.requests.inc({ outcome: !errors?.length ? 'ok' : data ? 'partial' : 'error' });
        },
      };
    },
  };
}
