import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { BadRequestBodyError, readJsonBody } from './readBody.js';

/** Options of the GraphQL HTTP handler shared by the router and the subgraphs. */
export interface ServeGraphQLOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  /** Builds the per-request context; may throw an error carrying `status` and `code`. */
  context: (req: IncomingMessage) => Promise<TContext>;
  bodyLimitBytes?: number;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Runs one HTTP request through Apollo Server's `executeHTTPGraphQLRequest`. */
export async function serveGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeGraphQLOptions<TContext>,
): Promise<void> {
  let body: unknown;
  if (req.method === 'POST') {
    try {
      body = await readJsonBody(req, options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);
    } catch (error) {
      if (!(error instanceof BadRequestBodyError)) throw error;
      if (error.status === 413) res.setHeader('connection', 'close');
      writeGraphQLError(res, error.status, error.code, error.message);
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const search = new URL(req.url ?? '/', 'http://localhost').search;
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Writes a GraphQL-shaped error response for failures outside GraphQL execution. */
export function writeGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
