import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';
import { buildTrace } from './buildTrace.js';

/** Adds `extensions.delegationTrace` (when recorded) and `extensions.warnings` (when any) to the response. */
export function delegationTracePlugin(routerClientId: string): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          if (response.body.kind !== 'single') return;
          const { trace, warnings } = contextValue;
          if (!trace && warnings.length === 0) return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            ...(trace ? { delegationTrace: buildTrace(trace, operationName ?? null, routerClientId) } : {}),
            ...(warnings.length > 0 ? { warnings } : {}),
          };
        },
      };
    },
  };
}
