import { httpPost, ResponseTooLargeError, type HttpPost } from '../../lib/http/httpPost.js';
import { SubgraphResponse } from './subgraphResponse.js';

/** What a subgraph fetch sends: @apollo/gateway's RemoteGraphQLDataSource passes a string body and plain headers. */
export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A subgraph HTTP client in fetch's shape, answering with a SubgraphResponse read to its end. */
export type SubgraphFetch = (url: string, init: SubgraphRequestInit) => Promise<SubgraphResponse>;

/** The stable reason of a failed subgraph fetch: timeout, response_too_large, invalid_response or unreachable. */
export function fetchFailureReason(error: unknown): string {
  if (error instanceof ResponseTooLargeError) return 'response_too_large';
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  // A body that is not JSON: a SyntaxError from response.json(), or the gateway's own check.
  if (name === 'SyntaxError' || /Expected JSON response body/.test(String((error as Error | undefined)?.message))) return 'invalid_response';
  return 'unreachable';
}

/**
 * The HTTP client of one subgraph (httpPost: kept-alive connections): the whole round trip
 * (headers and body) within `timeoutMs`, and a body over `maxBytes` refused, by its declared
 * length or while it streams, so a huge answer cannot exhaust memory. A redirect is never
 * followed to a host nobody configured: its 3xx is the answer, a failed fetch. `post` is
 * replaced only in unit tests.
 */
export function subgraphFetch(timeoutMs: number, maxBytes: number, post: HttpPost = httpPost): SubgraphFetch {
  return async (url, init) => {
    const answer = await post(url, { headers: init.headers ?? {}, body: init.body ?? '', timeoutMs, maxBytes });
    return new SubgraphResponse(url, answer);
  };
}
