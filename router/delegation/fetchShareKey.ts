import { createHash } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Lexer, Source, TokenKind } from 'graphql';

/** A subgraph HTTP request as it is sent: two with the same key are the same request. */
export interface SentRequest {
  url: string;
  /** Every header sent, `authorization` (the exchanged token: only hashed into the key) included. */
  headers: Record<string, string>;
  /** The request body exactly as sent: the document, operation name, variables and extensions. */
  body: string;
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
 * The key under which identical fetches share one HTTP request: one SHA-256 over the URL, the
 * headers (`traceparent` aside: every request has its own) and the body, each part prefixed
 * with its length so that no two different requests run together into the same bytes. It is
 * made from the body the gateway already serialized, so nothing is serialized twice; two
 * fetches share only when they would send the same bytes. The `authorization` header is hashed
 * in and never kept: requests of different tokens, and so of different subjects, never share.
 */
export function fetchShareKey(request: SentRequest): string {
  const hash = createHash('sha256');
  const part = (text: string) => hash.update(`${text.length}:`).update(text);
  part(request.url);
  const names = Object.keys(request.headers)
    .filter((name) => name.toLowerCase() !== 'traceparent')
    .sort();
  for (const name of names) {
    part(name.toLowerCase());
    part(request.headers[name]!);
  }
  part(request.body);
  return hash.digest('hex');
}
