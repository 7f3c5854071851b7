import { createHash } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Lexer, Source, TokenKind } from 'graphql';
import { stableJson } from './stableJson.js';

/** What makes two subgraph fetches one and the same HTTP request. */
export interface FetchIdentity {
  url: string;
  /** The bearer token the fetch carries, if any: only its SHA-256 enters the key. */
  token?: string;
  /** The headers the router sends with it, `authorization` and `traceparent` aside. */
  headers: Iterable<[string, string]>;
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

/** The operation type a subgraph fetch's document starts with (the planner puts the operation first); undefined when unclear. */
export function operationTypeOf(query: string): 'query' | 'mutation' | 'subscription' | undefined {
  try {
    const token = new Lexer(new Source(query)).advance();
    if (token.kind === TokenKind.BRACE_L) return 'query';
    if (token.kind === TokenKind.NAME && (token.value === 'query' || token.value === 'mutation' || token.value === 'subscription')) return token.value;
  } catch {
    // Not GraphQL the lexer reads: not shared.
  }
  return undefined;
}

/**
 * Whether a fetch may share its HTTP request with an identical one: only a query fetch of a query
 * operation. A mutation's fetches never share, its follow-up entity fetches included: they must
 * read what this request's own mutation wrote, not an older read already in flight.
 */
export function isShareableFetch(options: GraphQLDataSourceProcessOptions): boolean {
  // Only a fetch for an incoming operation (not a health check or a schema load).
  if (!('incomingRequestContext' in options)) return false;
  if (options.incomingRequestContext.operation?.operation !== 'query') return false;
  return options.request.query !== undefined && operationTypeOf(options.request.query) === 'query';
}

/**
 * The key under which identical fetches share one HTTP request: one SHA-256 over the subgraph URL,
 * the other headers, the document, the operation name, the variables and extensions in a stable
 * serialization, and the token (hashed in, never kept). Requests of different tokens, and so of
 * different subjects, never have the same key.
 */
export function fetchShareKey(identity: FetchIdentity): string {
  const headers = [...identity.headers].map(([name, value]) => [name.toLowerCase(), value] as const).filter(([name]) => name !== 'authorization' && name !== 'traceparent');
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = [
    identity.url,
    identity.token === undefined ? 0 : 1,
    JSON.stringify(headers),
    identity.operationName ?? '',
    identity.query,
    stableJson(identity.variables ?? {}),
    stableJson(identity.extensions ?? {}),
  ];
  // The serialized parts end where their array does, so the token after them cannot be mistaken for part of them.
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .update(identity.token ?? '')
    .digest('hex');
}
