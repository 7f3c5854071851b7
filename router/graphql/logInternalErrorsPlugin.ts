import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { describeError } from '../observability/swallowedErrors.js';
import type { RouterContext } from '../routerContext.js';

/**
 * Logs every error Apollo will send as INTERNAL_SERVER_ERROR (its own code, or none, which
 * Apollo turns into that code) with the request's trace id, so a client's report can be found.
 * Refusals and subgraph failures carry their own codes and are not faults of the router.
 */
export function logInternalErrorsPlugin(logger: Logger): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR) continue;
            logger.error({ traceId: contextValue.traceId, path: error.path, error: describeError(error.originalError ?? error) }, 'internal error in a GraphQL request');
          }
        },
      };
    },
  };
}
