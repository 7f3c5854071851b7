import { getOperationAST, parse } from 'graphql';
import { RequestRefusedError } from '../../lib/http/requestRefusedError.js';
import type { RequestChecker, RequestLimits } from '../limits/requestLimits.js';
import { estimateCost } from '../limits/estimateCost.js';
import { BrokerError } from './brokerError.js';
import type { DelegateRequest } from './readDelegateRequest.js';

/**
 * The request limits and the cost limit of POST /graphql, applied to a brokered operation
 * before any exchange: the shape checks (depth, aliases, tokens, variables...), then its
 * estimated cost without the target's schema (every selection a list of the default size,
 * `_entities` as many as its representations). Refusals are 400 with the same codes.
 */
export function createBrokeredOperationCheck(checkRequest: RequestChecker, limits: RequestLimits) {
  return (operation: DelegateRequest['request']): void => {
    try {
      checkRequest({ method: 'POST', body: operation, search: '' });
    } catch (error) {
      if (error instanceof RequestRefusedError) throw new BrokerError(400, error.code, error.message, { limit: error.details.limit as number | undefined });
      throw error;
    }
    let document;
    try {
      document = parse(operation.query, { maxTokens: limits.maxTokens, noLocation: true });
    } catch {
      throw new BrokerError(400, 'BAD_REQUEST', '/delegate body: request.query is not a GraphQL document');
    }
    const definition = getOperationAST(document, operation.operationName);
    if (!definition) throw new BrokerError(400, 'BAD_REQUEST', '/delegate body: request.query needs exactly one operation, or operationName');
    const cost = estimateCost(document, definition, undefined, operation.variables ?? {}, limits);
    if (cost > limits.maxCost) {
      throw new BrokerError(400, 'COST_TOO_HIGH', `The operation's estimated cost (${cost}) is over this router's limit (${limits.maxCost})`, { cost, limit: limits.maxCost });
    }
  };
}
