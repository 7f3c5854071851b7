import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';

// The GraphQL semantic conventions (still "development" in semconv, hence spelled out here
// rather than imported from its unstable entry point).
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
/** SHA-256 (hex) of the document: `graphql.document` itself may hold literals a user typed, so it is never recorded. */
export const ATTR_GRAPHQL_DOCUMENT_HASH = 'graphql.document.hash';

/** Names the operation on the request's span once it is resolved: its name, its type, its document's hash. */
export function graphqlSpanPlugin(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName, queryHash }) {
          contextValue.spans?.setAttributes({
            [ATTR_GRAPHQL_DOCUMENT_HASH]: queryHash,
            ...(operation ? { [ATTR_GRAPHQL_OPERATION_TYPE]: operation.operation } : {}),
            ...(operationName ? { [ATTR_GRAPHQL_OPERATION_NAME]: operationName } : {}),
          });
        },
      };
    },
  };
}
