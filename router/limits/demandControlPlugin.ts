import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from '../routerContext.js';
import type { RouterMetrics } from '../observability/metrics.js';
import { estimateCost, type CostSettings } from './estimateCost.js';
import type { CostDirectives } from './costDirectives.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/** The objects in a response's data: its actual cost in the same model as the estimate. */
export function actualCost(data: unknown): number {
  // Counted on every response: plain loops, no intermediate arrays or closures.
  if (data === null || typeof data !== 'object') return 0;
  let count = 0;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) count += actualCost(data[i]);
    return count;
  }
  count = 1;
  for (const key in data) count += actualCost((data as Record<string, unknown>)[key]);
  return count;
}

/** The refusal of an operation whose estimated cost is over the limit: HTTP 400 COST_TOO_HIGH. */
export function costTooHigh(cost: number, limit: number): GraphQLError {
  return new GraphQLError(`The operation's estimated cost (${cost}) is over this router's limit (${limit})`, {
    extensions: { code: ErrorCode.COST_TOO_HIGH, cost, limit, http: { status: 400 } },
  });
}

/**
 * Demand control: estimates each operation's cost once it is parsed and validated, before it
 * is planned (so before any exchange or fetch), refuses it over `maxCost`, and records the
 * estimated and the actual cost of what was sent in `deputy_operation_cost`.
 */
export function demandControlPlugin(options: { maxCost: number; settings: CostSettings; directives: () => CostDirectives; metrics: RouterMetrics }): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const cost = estimateCost(document, operation, schema as GraphQLSchema, request.variables ?? {}, options.settings, options.directives());
          options.metrics.operationCost.observe({ kind: 'estimated' }, cost);
          if (cost > options.maxCost) throw costTooHigh(cost, options.maxCost);
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single' && response.body.singleResult.data) {
            options.metrics.operationCost.observe({ kind: 'actual' }, actualCost(response.body.singleResult.data));
          }
        },
      };
    },
  };
}
