import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';

/** Tells the request's audit what Apollo answered for each operation: its name, type, document hash, status and errors. */
export function requestAuditPlugin(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName, operation, queryHash }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          contextValue.requestAudit?.operationAnswered({
            // The resolved operation's own name (validated against the document), never the raw request field.
            operationName: operationName ?? undefined,
            operationType: operation?.operation,
            documentHash: queryHash,
            status: response.http.status ?? 200,
            hasData: result.data !== undefined && result.data !== null,
            errorCodes: (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
          });
        },
      };
    },
  };
}
