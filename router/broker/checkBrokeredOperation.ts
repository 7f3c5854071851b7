import { getOperationAST, parse } from 'graphql';
import type { RequestChecker, RequestLimits } from '../limits/requestLimits.js';
import { estimateCost } from '../limits/estimateCost.js';
import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import type { DelegateOperation } from './readDelegateRequest.js';

/**
 * The request limits and the cost limit of POST /graphql, applied to brokered operations
 * before any exchange: the shape checks of each (depth, aliases, tokens, variables...), then
 * the estimated cost without the target's schema (every selection a list of the default size,
 * `_entities` as many as its representations), of each and of a batch together: a batch
 * costs what its operations would cost sent one by one. Refusals are 400 with the same codes.
 */
export function createBrokeredOperationCheck(checkRequest: RequestChecker, limits: RequestLimits) {
  const costOf = (operation: DelegateOperation): number => {
    // Its refusals are 400 with the code and limit of POST /graphql: passed on as they are.
    checkRequest({ method: 'POST', body: operation, search: '' });
    let document;
    try {
      document = parse(operation.query, { maxTokens: limits.maxTokens, noLocation: true });
    } catch {
      throw brokerRefusal(400, ErrorCode.BAD_REQUEST, '/delegate body: request.query is not a GraphQL document');
    }
    const definition = getOperationAST(document, operation.operationName);
    if (!definition) throw brokerRefusal(400, ErrorCode.BAD_REQUEST, '/delegate body: request.query needs exactly one operation, or operationName');
    return estimateCost(document, definition, undefined, operation.variables ?? {}, limits);
  };
  return (operations: DelegateOperation[]): void => {
    const cost = operations.reduce((sum, operation) => sum + costOf(operation), 0);
    if (cost > limits.maxCost) {
      throw brokerRefusal(400, ErrorCode.COST_TOO_HIGH, `The operation's estimated cost (${cost}) is over this router's limit (${limits.maxCost})`, { cost, limit: limits.maxCost });
    }
  };
}
