import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { readJsonBody } from './readBody.js';
import { RefusalError } from '../errors/RefusalError.js';
import { ErrorCode, type ErrorCodeValue } from '../errors/errorCodes.js';
import type { InvalidTokenError } from '../tokenRejection.js';

/** Options of the GraphQL HTTP handler shared by the router and the subgraphs. */
export interface ServeGraphQLOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  /** Builds the per-request context; may throw an error carrying `status` and `code`. */
  context: (req: IncomingMessage) => Promise<TContext>;
  bodyLimitBytes?: number;
  /** Inspects the request before Apollo sees it; throws RefusalError to refuse it. */
  checkRequest?: (request: GraphQLHttpRequest) => void;
  /** Largest response body sent; a larger one is replaced by a 400 RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
  /** Told of a request refused before Apollo saw it (a malformed or too large body, a request limit). */
  onRefusal?: (refusal: RefusalError) => void;
}

/** A GraphQL request as it arrived: the parsed JSON body (POST) or the query string (GET). */
export interface GraphQLHttpRequest {
  method: string;
  body: unknown;
  search: string;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Runs one HTTP request through Apollo Server's `executeHTTPGraphQLRequest`. */
export async function serveGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeGraphQLOptions<TContext>,
): Promise<void> {
  const method = req.method ?? 'GET';
  const search = new URL(req.url ?? '/', 'http://localhost').search;
  let body: unknown;
  try {
    if (method === 'POST') body = await readJsonBody(req, options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);
    options.checkRequest?.({ method, body, search });
  } catch (error) {
    if (!(error instanceof RefusalError)) throw error;
    options.onRefusal?.(error);
    if (error.status === 413) res.setHeader('connection', 'close');
    writeRefusal(res, error);
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search, body },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  if (response.body.kind === 'complete' && options.maxResponseBytes !== undefined && Buffer.byteLength(response.body.string) > options.maxResponseBytes) {
    res.removeHeader('content-length');
    options.onRefusal?.(new RefusalError({ status: 400, code: ErrorCode.RESPONSE_TOO_LARGE, message: 'response too large' }));
    writeGraphQLError(res, 400, ErrorCode.RESPONSE_TOO_LARGE, `The response would exceed ${options.maxResponseBytes} bytes; ask for less`, { limit: options.maxResponseBytes });
    return;
  }
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Writes a GraphQL-shaped error response for failures outside GraphQL execution. */
export function writeGraphQLError(res: ServerResponse, status: number, code: ErrorCodeValue, message: string, details: Record<string, unknown> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...details } }] }));
}

/** Writes a refusal: its status, and its code, reason and details as the error's `extensions`. */
export function writeRefusal(res: ServerResponse, refusal: RefusalError): void {
  const { code, ...details } = refusal.extensions;
  writeGraphQLError(res, refusal.status, code as ErrorCodeValue, refusal.message, details);
}

/** A 401 for a refused token (RFC 6750 §3): the challenge header, code UNAUTHENTICATED and the stable reason. */
export function writeUnauthenticated(res: ServerResponse, error: InvalidTokenError): void {
  res.setHeader('www-authenticate', error.challenge);
  writeRefusal(res, error);
}
