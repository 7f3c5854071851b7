import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';
import { ErrorCode, type ErrorCodeValue } from '../../lib/errors/errorCodes.js';

const badRequest = (message: string, code: ErrorCodeValue) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * An operation the router cannot serve is the client's mistake, answered 400 before the
 * gateway sees it (the gateway reports these as server errors): an unknown `operationName`,
 * several operations without one, and a subscription.
 */
export function refuseUnservableOperations(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            throw request.operationName
              ? badRequest(`Unknown operation named "${request.operationName}".`, ErrorCode.OPERATION_NOT_FOUND)
              : badRequest('Must provide operationName when the document holds several operations.', ErrorCode.OPERATION_NOT_FOUND);
          }
          if (operation.operation === 'subscription') throw badRequest('This router does not serve subscriptions.', ErrorCode.SUBSCRIPTIONS_NOT_SUPPORTED);
        },
      };
    },
  };
}
