import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { writeGraphQLError } from '../../lib/http/serveGraphQL.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics (Prometheus text). With `bearerToken` set, only a request carrying it is
 * answered (compared in constant time); anything else is 401.
 */
export function metricsRoute(registry: Registry, bearerToken?: string) {
  const expected = bearerToken === undefined ? undefined : digest(`Bearer ${bearerToken}`);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (expected) {
      const given = req.headers.authorization;
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        writeGraphQLError(res, 401, 'UNAUTHENTICATED', 'GET /metrics needs the configured bearer token (metrics.bearerToken)');
        return;
      }
    }
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  };
}
