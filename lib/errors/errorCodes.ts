/**
 * Every code the router can send, in GraphQL `extensions.code` (errors and
 * `extensions.warnings`), with its HTTP status and what it means. Clients and tests match on
 * these, never on messages. README.md "Error codes" is this table (a test keeps them equal).
 * Status 200 means the code arrives in a 200 response: a field error with partial data, or a
 * warning.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: { status: [401], meaning: 'no, malformed or invalid token (caller, service, team or /metrics); `reason` says why' },
  FORBIDDEN: { status: [403, 200], meaning: 'a publish the team may not make (403), or a subgraph rule refused a field (200, relayed)' },
  HEADERS_TOO_LARGE: { status: [431], meaning: "request headers over Node's 16 KiB, answered by the HTTP parser" },
  BAD_REQUEST: { status: [400], meaning: 'an unparseable request, a malformed /delegate or /admin/schema body, or a brokered operation its target refused' },
  NOT_FOUND: { status: [404], meaning: 'no such route' },
  METHOD_NOT_ALLOWED: { status: [405], meaning: 'an admin API route or `/console/schema` called with another method than the ones it answers' },
  NOT_READY: { status: [503], meaning: 'the router is starting: its issuer has not answered yet (or `/console/schema` before a supergraph is loaded)' },
  INTERNAL_SERVER_ERROR: { status: [500, 200], meaning: 'a fault in the router; logged with the trace id' },
  BODY_TOO_LARGE: { status: [413], meaning: 'a body over `listen.bodyLimitBytes`' },
  BAD_JSON: { status: [400], meaning: 'a body that is not JSON, or nests deeper than 256 levels' },
  BATCH_TOO_LARGE: { status: [400], meaning: 'more operations in one request than `limits.maxBatchSize` (`broker.maxBatchSize` on /delegate)' },
  VARIABLES_TOO_LARGE: { status: [400], meaning: 'variables over `limits.maxVariablesBytes`' },
  QUERY_TOO_LARGE: { status: [400], meaning: 'more lexical tokens than `limits.maxTokens`' },
  INTROSPECTION_DISABLED: { status: [400], meaning: 'introspection while `limits.introspection` denies it' },
  QUERY_TOO_DEEP: { status: [400], meaning: 'deeper than `limits.maxDepth`' },
  QUERY_TOO_COMPLEX: { status: [400], meaning: 'more fields after fragment expansion than `limits.maxFields`' },
  TOO_MANY_ALIASES: { status: [400], meaning: 'more aliases than `limits.maxAliases`' },
  QUERY_TOO_BROAD: { status: [400], meaning: 'more fields in one selection set than `limits.maxBreadth`' },
  COST_TOO_HIGH: { status: [400], meaning: 'an estimated cost over `limits.maxCost`' },
  RESPONSE_TOO_LARGE: { status: [400], meaning: 'a response over `limits.maxResponseBytes`' },
  TOO_MANY_REQUESTS: { status: [429], meaning: "more of one user's requests in flight than `limits.maxConcurrentPerSubject`" },
  OPERATION_NOT_FOUND: { status: [400], meaning: 'an unknown `operationName`, or several operations without one' },
  SUBSCRIPTIONS_NOT_SUPPORTED: { status: [400], meaning: 'a subscription' },
  GRAPHQL_PARSE_FAILED: { status: [400], meaning: 'not a GraphQL document (Apollo Server)' },
  GRAPHQL_VALIDATION_FAILED: { status: [400], meaning: 'not valid against the supergraph (Apollo Server)' },
  BAD_USER_INPUT: { status: [400, 200], meaning: 'variables or arguments of the wrong type (Apollo Server), or refused by a subgraph (relayed)' },
  PERSISTED_QUERY_NOT_FOUND: { status: [200], meaning: 'an automatic persisted query hash the router has not seen (Apollo Server)' },
  DELEGATION_DENIED: { status: [200, 403], meaning: "the router's policy or the authorization server refused a subgraph token; 403 on /delegate" },
  DELEGATION_UNAVAILABLE: { status: [200, 503], meaning: 'no subgraph token could be had now (authorization server down, slow, circuit open); 503 on /delegate' },
  SUBGRAPH_UNAVAILABLE: { status: [200], meaning: 'a subgraph could not be reached, timed out, or answered with an HTTP error, invalid JSON or too large a body' },
  SUBGRAPH_REFUSED: { status: [200], meaning: 'a subgraph refused the delegated token (HTTP 401/403), also after one fresh exchange' },
  DELEGATION_TRACE_NOT_ALLOWED: { status: [200], meaning: 'a warning: a delegation trace was asked for but the trace policy does not allow it' },
  DELEGATION_LOOP: { status: [403], meaning: 'a brokered chain would revisit a service' },
  DELEGATION_DEPTH: { status: [403], meaning: 'a brokered chain would grow past `broker.maxDepth`' },
  UNKNOWN_TARGET: { status: [404], meaning: '/delegate names a target that is not a registered subgraph' },
  TARGET_FAILED: { status: [502], meaning: 'the brokered target could not be reached, failed, timed out or answered too much' },
  PUBLISH_NOT_CONFIGURED: { status: [503], meaning: 'publishing needs `registry.postgres` or `supergraph.sources`' },
  UNKNOWN_SUBGRAPH: { status: [404], meaning: 'a publish or check for a subgraph the current version does not have, without a `routingUrl` to add it' },
  COMPOSITION_FAILED: { status: [422], meaning: 'a published schema that does not compose' },
  BREAKING_CHANGES: { status: [409], meaning: 'a published schema that breaks fields clients used in the usage window, without `allowBreaking`' },
  TAKEOVER_NOT_APPROVED: { status: [409], meaning: "a publish that takes over another subgraph's field, without its owning team's approval" },
  NOT_DEPLOYED: { status: [409], meaning: 'a published schema declares fields its running service does not serve yet (deploy first, then publish)' },
  SERVICE_UNREACHABLE: { status: [502], meaning: 'the running service could not be asked for its SDL (`_service { sdl }`) before a publish' },
  UNKNOWN_VERSION: { status: [404], meaning: 'a fetch or rollback of a version the registry does not have' },
  VERSION_CONFLICT: { status: [409], meaning: 'another publish made a version current first; check again and publish' },
  REGISTRY_UNAVAILABLE: { status: [503], meaning: "the schema registry's PostgreSQL could not be reached" },
} as const satisfies Record<string, { status: readonly number[]; meaning: string }>;

/** A code the router can send. */
export type ErrorCodeValue = keyof typeof ERROR_CODES;

/** Each code by name, so code reads `ErrorCode.DELEGATION_DENIED` and a typo does not compile. */
export const ErrorCode = Object.freeze(Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code]))) as { readonly [K in ErrorCodeValue]: K };

/**
 * Codes of errors that stay inside the router: start-up failures the `deputy` command prints
 * and a fallback the router takes itself. None reaches a client.
 */
export const INTERNAL_ERROR_CODES = ['INVALID_CONFIG', 'INVALID_ROVER_CONFIG', 'PORT_IN_USE', 'COMPOSITION_ERROR', 'INVALID_GRAPHQL', 'REDIS_UNAVAILABLE'] as const;

/** The README.md table of ERROR_CODES (code, HTTP status, meaning). */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, { status, meaning }]) => `| \`${code}\` | ${status.join(', ')} | ${meaning} |`);
  return ['| `extensions.code` | HTTP | meaning |', '|---|---|---|', ...rows].join('\n');
}
