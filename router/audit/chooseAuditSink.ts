import type { RouterConfig } from '../config/configSchema.js';
import type { SharedRedis } from '../shared/sharedRedis.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';
import { createAuditLog, type AuditLog } from './auditLog.js';
import { redisStreamAuditLog } from './redisStreamAuditLog.js';
import { postgresAuditLog } from './postgresAuditLog.js';
import { durationMs } from '../../lib/duration.js';

/** The chosen audit sink, what /metrics reads of it, and the way to flush (and close) it at stop. */
export interface AuditSink {
  audit: AuditLog;
  stats: () => { buffered: number; lagSeconds: number };
  flush: () => Promise<unknown> | unknown;
}

/**
 * Where audit events go: the sink given by the embedding code, else config.audit: a Redis
 * Stream (when Redis is configured), a PostgreSQL table, a file, or stdout. A sink that throws
 * on write loses that event, counted and logged as `audit_sink`, and never fails the request
 * that caused it.
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
  const { postgres } = config.audit;
  const postgresSink =
    !given && config.audit.sink === 'postgres'
      ? postgresAuditLog({
          url: postgres.url!,
          schema: postgres.schema,
          batchSize: postgres.batchSize,
          flushIntervalMs: postgres.flushIntervalMs,
          retentionMs: postgres.retention === 'off' ? undefined : durationMs(postgres.retention),
          maxBuffered: config.audit.maxBuffered,
          fallbackFile: config.audit.fallbackFile,
          onOverflow: reporting.onOverflow,
          errors: reporting.errors,
        })
      : undefined;
  const buffering = redisSink ?? postgresSink;
  const sink = given ?? buffering ?? createAuditLog(config.audit.sink === 'file' ? { kind: 'file', path: config.audit.file! } : { kind: 'stdout' });
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
    stats: () => ({ buffered: buffering?.buffered() ?? 0, lagSeconds: buffering?.lagSeconds() ?? 0 }),
    flush: () => (postgresSink ? postgresSink.close() : (sink as { flush?: () => unknown }).flush?.()),
  };
}
