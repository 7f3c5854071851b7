import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeGraphQLError } from './serveGraphQL.js';
import { trackResponse } from './listen.js';
import { answerClientErrors } from './answerClientErrors.js';
import { ErrorCode } from '../errors/errorCodes.js';

/** Handles one route; a thrown error becomes a 500 without details. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * An HTTP server dispatching on the exact path; anything else is 404 NOT_FOUND. Unparseable
 * requests get a JSON error. A handler's thrown error is a 500 INTERNAL_SERVER_ERROR, told to
 * `onError` (to be logged) and never to the client.
 */
export function createRoutedServer(routes: Record<string, RouteHandler>, onError?: (error: unknown, req: IncomingMessage) => void): Server {
  const server = createServer((req, res) => {
    trackResponse(server, res);
    const path = (req.url ?? '/').split('?')[0];
    const handler = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!handler) {
      writeGraphQLError(res, 404, ErrorCode.NOT_FOUND, `No route ${path}`);
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        onError?.(error, req);
        if (!res.headersSent) writeGraphQLError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
        else res.end();
      });
  });
  answerClientErrors(server);
  return server;
}

/** GET /health: 200 {"status":"ok"}. */
export const healthRoute: RouteHandler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: 'ok' }));
};
