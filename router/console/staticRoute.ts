import type { RouteHandler } from '../../lib/http/createRoutedServer.js';

/** A route answering GET and HEAD with a fixed body (read once at start-up); other methods get 405. */
export function staticRoute(body: Buffer | string, contentType: string, headers: Record<string, string> = {}, status = 200): RouteHandler {
  const length = Buffer.byteLength(body);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    res.writeHead(status, { 'content-type': contentType, 'content-length': length, 'x-content-type-options': 'nosniff', ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
