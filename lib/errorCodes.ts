/**
 * Stable error codes Deputy puts in GraphQL `extensions.code`. Clients and tests match on
 * these, never on messages.
 */
export const ErrorCode = {
  /** No, malformed or invalid caller token at the router edge (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The delegation policy or the authorization server refused a subgraph token. */
  DELEGATION_DENIED: 'DELEGATION_DENIED',
  /** The authorization server could not be reached, timed out or the circuit is open. */
  DELEGATION_UNAVAILABLE: 'DELEGATION_UNAVAILABLE',
  /** A subgraph could not be reached, timed out, or answered with an HTTP error, invalid JSON or too large a body. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph refused the delegated token (HTTP 401/403), also after one fresh exchange. */
  SUBGRAPH_REFUSED: 'SUBGRAPH_REFUSED',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];
