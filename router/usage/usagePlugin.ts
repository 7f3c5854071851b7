import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { createFieldsUsedCache, type FieldsUsedCache } from './fieldsUsedCache.js';
import type { UsageRecorder } from './usageRecorder.js';

/**
 * Records the fields of every operation that starts executing, under the caller's client id
 * (`clientIdOf`, undefined: anonymous) and the operation's own name. A request that failed
 * parsing or validation, named no operation of its document, or was refused before execution
 * (demand control, for one) records nothing.
 */
export function usagePlugin<TContext extends BaseContext>(
  recorder: UsageRecorder,
  clientIdOf: (contextValue: TContext) => string | undefined,
  cache: FieldsUsedCache = createFieldsUsedCache(),
): ApolloServerPlugin<TContext> {
  // One listener for every request: the warm path allocates nothing here.
  const listener: GraphQLRequestListener<TContext> = {
    async executionDidStart({ schema, document, operation, operationName, queryHash, contextValue }) {
      // Apollo still executes when `operationName` names no operation of the document (execute reports it).
      if (!operation) return;
      const fields = cache.get(schema, document, queryHash, operationName ?? undefined);
      recorder.record(clientIdOf(contextValue), operationName, fields);
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
