import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errorCodes.js';

/** The policy or the authorization server refused a token for this subgraph. */
export class DelegationDeniedError extends Error {
  readonly code = ErrorCode.DELEGATION_DENIED;
  constructor(
    readonly subgraph: string,
    /** A stable reason: `policy`, or the OAuth error (`invalid_target`, `invalid_scope`...). */
    readonly reason: string,
    description?: string,
  ) {
    super(`Delegation to subgraph "${subgraph}" was refused (${reason})${description ? `: ${description}` : ''}`);
  }
}

/** No token could be obtained in time: auth server down, slow, overloaded, or the circuit is open. */
export class DelegationUnavailableError extends Error {
  readonly code = ErrorCode.DELEGATION_UNAVAILABLE;
  constructor(
    readonly subgraph: string,
    /** A stable reason: `timeout`, `unreachable`, `circuit_open`, `rate_limited`, `server_error`, `bad_response`. */
    readonly reason: string,
  ) {
    super(`Delegation to subgraph "${subgraph}" is unavailable (${reason})`);
  }
}

/** The GraphQL error a fetch fails with: the subgraph's fields become null, the rest of the data arrives. */
export function toGraphQLError(error: DelegationDeniedError | DelegationUnavailableError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, subgraph: error.subgraph, reason: error.reason },
  });
}
