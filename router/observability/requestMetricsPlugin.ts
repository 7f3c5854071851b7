import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';
import type { RouterMetrics } from './metrics.js';

/** Counts every GraphQL response by outcome: ok, partial (data and errors), error. */
export function requestMetricsPlugin(metrics: RouterMetrics): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          metrics.requests.inc({ outcome: !errors?.length ? 'ok' : data ? 'partial' : 'error' });
        },
      };
    },
  };
}
