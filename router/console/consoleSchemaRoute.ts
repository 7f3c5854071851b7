import { printSchema, type GraphQLSchema } from 'graphql';
import type { RouteHandler } from '../../lib/http/createRoutedServer.js';
import { writeGraphQLError, writeUnauthenticated } from '../../lib/http/serveGraphQL.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { InvalidTokenError } from '../../lib/verifyAccessToken.js';
import type { CallerAuthenticator } from '../edge/authenticateCaller.js';

/**
 * GET /console/schema: the API schema (what clients may query; no join__ or link__) as SDL, for
 * a signed-in user. It is the console's autocomplete and documentation, so it answers whatever
 * `limits.introspection` says: where introspection is denied, the schema still goes to users
 * with a valid token, and only where the operator turned the console on. A token is required
 * even when anonymous /graphql is allowed: nobody to show the console's help to.
 */
export function consoleSchemaRoute(authenticateCaller: CallerAuthenticator, apiSchema: () => GraphQLSchema | undefined): RouteHandler {
  // Printed once per served schema (a new supergraph is a new object), not per request.
  const printed = new WeakMap<GraphQLSchema, string>();
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      writeGraphQLError(res, 405, ErrorCode.METHOD_NOT_ALLOWED, 'this route answers GET and HEAD only');
      return;
    }
    try {
      if ((await authenticateCaller(req)) === undefined) throw new InvalidTokenError('missing_token');
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      writeUnauthenticated(res, error);
      return;
    }
    const schema = apiSchema();
    if (!schema) {
      res.setHeader('retry-after', '1');
      writeGraphQLError(res, 503, ErrorCode.NOT_READY, 'The router has not loaded its supergraph yet');
      return;
    }
    let sdl = printed.get(schema);
    if (sdl === undefined) printed.set(schema, (sdl = printSchema(schema)));
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(sdl),
      // Per user and per version: neither a shared cache nor the browser keeps it.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : sdl);
  };
}
