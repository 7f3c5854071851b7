import type { RouteHandler } from '../../lib/http/createRoutedServer.js';
import { writeGraphQLError } from '../../lib/http/serveGraphQL.js';
import type { SharedRedis } from '../shared/sharedRedis.js';

/**
 * GET /health/ready (and /health): 200 while the router can serve, with what is degraded;
 * 503 when something it was told it needs is missing (Redis with shared.required).
 */
export function readinessRoute(redis: SharedRedis | undefined, redisRequired: boolean): RouteHandler {
  return (_req, res) => {
    const shared = redis?.health();
    const ready = !(redisRequired && shared?.status === 'down');
    res.statusCode = ready ? 200 : 503;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: ready ? (shared?.status === 'down' ? 'degraded' : 'ok') : 'not_ready', ...(shared ? { redis: shared } : {}) }));
  };
}

/** GET /health/live: 200 while the process answers at all. */
export const livenessRoute: RouteHandler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: 'live' }));
};

/** What a starting router waits for before it serves. */
export type WaitingFor = 'issuer' | 'registry';

/** While the router waits for its issuer or its registry: live, not ready, and every serving route 503 NOT_READY with Retry-After. */
export function startingRoutes(waiting: { for: WaitingFor } = { for: 'issuer' }): Record<string, RouteHandler> {
  const notReady: RouteHandler = (_req, res) => {
    res.setHeader('retry-after', '1');
    writeGraphQLError(res, 503, 'NOT_READY', `The router is starting: its ${waiting.for === 'issuer' ? 'issuer' : "schema registry's PostgreSQL"} has not answered yet`);
  };
  const starting: RouteHandler = (_req, res) => {
    res.statusCode = 503;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'starting', waitingFor: waiting.for }));
  };
  return { '/health/live': livenessRoute, '/health': starting, '/health/ready': starting, '/graphql': notReady, '/console/schema': notReady, '/delegate': notReady, '/admin/schema': notReady, '/metrics': notReady, '/events': notReady };
}
