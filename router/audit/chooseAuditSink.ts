import type { RouterConfig } from '../config/configSchema.js';
import type { SharedRedis } from '../shared/sharedRedis.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';
import { createAuditLog, type AuditLog } from './auditLog.js';
import { redisStreamAuditLog } from './redisStreamAuditLog.js';

/** The chosen audit sink, what /metrics reads of it, and the way to flush it at stop. */
export interface AuditSink {
  audit: AuditLog;
  stats: () => { buffered: number; lagSeconds: number };
  flush: () => Promise<unknown> | unknown;
}

/**
 * Where audit events go: the sink given by the embedding code, else config.audit: a Redis
 * Stream (when Redis is configured), a file, or stdout. A sink that throws on write loses that
 * event, counted and logged as `audit_sink`, and never fails the request that caused it.
 */
export function chooseAuditSink(
  config: RouterConfig,
  redis: SharedRedis | undefined,
  given: AuditLog | undefined,
  reporting: { errors: SwallowedErrors; onOverflow: (outcome: 'fallback' | 'dropped', count: number) => void },
): AuditSink {
  const redisSink =
    !given && config.audit.sink === 'redis' && redis
      ? redisStreamAuditLog(redis, `${config.shared.keyPrefix}audit`, {
          maxBuffered: config.audit.maxBuffered,
          fallbackFile: config.audit.fallbackFile,
          onOverflow: reporting.onOverflow,
          errors: reporting.errors,
        })
      : undefined;
  const sink = given ?? redisSink ?? createAuditLog(config.audit.sink === 'file' ? { kind: 'file', path: config.audit.file! } : { kind: 'stdout' });
  return {
    audit: {
      write(event) {
        try {
          sink.write(event);
        } catch (error) {
          reporting.errors.failed('audit_sink', error);
        }
      },
    },
    stats: () => ({ buffered: redisSink?.buffered() ?? 0, lagSeconds: redisSink?.lagSeconds() ?? 0 }),
    flush: () => (sink as { flush?: () => unknown }).flush?.(),
  };
}
