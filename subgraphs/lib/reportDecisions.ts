import type { ApolloServerPlugin } from '@apollo/server';
import type { SubgraphContext } from './subgraphContext.js';

/**
 * Adds `extensions.authorization: { subgraph, decisions }` to every response, so the router's
 * delegation trace can show what each subgraph allowed and denied, and by which rule.
 */
export function reportDecisions(subgraph: string): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const decisions = contextValue.decisions.list();
          if (decisions.length === 0) return;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, authorization: { subgraph, decisions } };
        },
      };
    },
  };
}
