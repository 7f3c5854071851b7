import type { RouterConfig } from '../config/configSchema.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';
import type { SharedRedis } from './sharedRedis.js';

/**
 * The shared Redis of config.shared, connecting (waited for briefly), or undefined without one.
 * Redis is shared state, not a precondition: the router starts without it and connects when it
 * appears; each outage is reported once as `redis`, and its end.
 */
export async function openSharedRedis(shared: RouterConfig['shared'], errors: SwallowedErrors): Promise<SharedRedis | undefined> {
  if (!shared.redisUrl) return undefined;
  // The Redis client library loads only when Redis is configured (about 0.3 s of start-up otherwise).
  const { SharedRedis } = await import('./sharedRedis.js');
  const redis = new SharedRedis({
    url: shared.redisUrl,
    commandTimeoutMs: shared.commandTimeoutMs,
    breaker: { failures: 3, openMs: 1000 },
    onStateChange: (state, detail) => (state === 'down' ? errors.failed('redis', new Error(detail)) : errors.recovered('redis')),
  });
  await redis.start(Math.max(500, shared.commandTimeoutMs * 5));
  return redis;
}
