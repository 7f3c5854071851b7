import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { RefusalError } from '../../lib/errors/RefusalError.js';

/**
 * The policy or the authorization server refused a token for this subgraph. `reason` is stable:
 * `policy`, or the OAuth error (`invalid_target`, `invalid_scope`...). 403 where it is a whole answer (/delegate).
 */
export function delegationDenied(subgraph: string, reason: string, description?: string): RefusalError {
  const message = `Delegation to subgraph "${subgraph}" was refused (${reason})${description ? `: ${description}` : ''}`;
  return new RefusalError({ status: 403, code: ErrorCode.DELEGATION_DENIED, message, reason, details: { subgraph }, name: 'DelegationDenied' });
}

/**
 * No token could be obtained in time: auth server down, slow, overloaded, or the circuit is open.
 * `reason` is stable: `timeout`, `unreachable`, `circuit_open`, `rate_limited`, `server_error`, `bad_response`.
 */
export function delegationUnavailable(subgraph: string, reason: string): RefusalError {
  const message = `Delegation to subgraph "${subgraph}" is unavailable (${reason})`;
  return new RefusalError({ status: 503, code: ErrorCode.DELEGATION_UNAVAILABLE, message, reason, details: { subgraph }, name: 'DelegationUnavailable' });
}

/** The GraphQL error a fetch fails with: the subgraph's fields become null, the rest of the data arrives. */
export function toGraphQLError(refusal: RefusalError): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: { code: refusal.code, subgraph: refusal.details.subgraph, reason: refusal.reason },
  });
}
