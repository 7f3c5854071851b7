import type { SharedRedis } from '../shared/sharedRedis.js';
import type { AuditEvent, AuditLog } from './auditLog.js';
import { overflowEvents, type OverflowOptions } from './overflowEvents.js';

/** How the Redis audit sink holds up when Redis is slow or away. */
export interface RedisAuditOptions extends OverflowOptions {
  /** Events held while Redis is away; beyond them events go to `fallbackFile`, or are dropped (counted). */
  maxBuffered: number;
}

const BATCH = 500;
const RETRY_MS = 500;

/**
 * Audit events appended to a Redis Stream (XADD <key> * event <json>) for central collection,
 * in pipelined batches off the request path. Events wait in a bounded buffer while Redis is
 * away and are written when it returns; what does not fit goes to the fallback file or is
 * dropped, each counted. `lagSeconds` is the age of the oldest event not yet written.
 */
export function redisStreamAuditLog(redis: SharedRedis, key: string, options: RedisAuditOptions): AuditLog & { flush(deadlineMs?: number): Promise<void>; buffered(): number; lagSeconds(): number } {
  const buffer: { line: string; at: number }[] = [];
  let writing: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;

  const overflow = overflowEvents(options);

  const writeBatches = async (): Promise<void> => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, BATCH);
      try {
        await redis.run((client) => {
          const pipeline = client.multi();
          for (const { line } of batch) pipeline.xAdd(key, '*', { event: line });
          return pipeline.execAsPipeline();
        });
      } catch (error) {
        // Redis is away: keep the events, try again later (or when it reconnects).
        options.errors?.failed('audit_sink', error);
        retry ??= setTimeout(() => {
          retry = undefined;
          kick();
        }, RETRY_MS).unref();
        return;
      }
      buffer.splice(0, batch.length);
      options.errors?.recovered('audit_sink');
    }
  };
  const kick = () => {
    writing ??= writeBatches().finally(() => (writing = undefined));
  };
  redis.onReconnect(kick);

  return {
    write(event: AuditEvent) {
      const line = JSON.stringify({ time: new Date().toISOString(), ...event });
      if (buffer.length >= options.maxBuffered) overflow([line]);
      else buffer.push({ line, at: Date.now() });
      if (!writing) queueMicrotask(kick);
    },
    /** Writes what is buffered, until `deadlineMs`; the rest goes to the fallback file (or is counted dropped). */
    async flush(deadlineMs = 5000) {
      const deadline = Date.now() + deadlineMs;
      while (buffer.length > 0 && Date.now() < deadline && redis.connected) {
        kick();
        await writing;
        if (buffer.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (retry) clearTimeout(retry);
      overflow(buffer.splice(0).map(({ line }) => line));
    },
    buffered: () => buffer.length,
    lagSeconds: () => (buffer.length > 0 ? (Date.now() - buffer[0].at) / 1000 : 0),
  };
}
