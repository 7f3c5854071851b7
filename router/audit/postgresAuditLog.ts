import pg from 'pg';
import type { AuditEvent, AuditLog } from './auditLog.js';
import { auditRowOf, insertRows } from './auditRow.js';
import { checkAuditSchemaName, createAuditTables } from './auditTables.js';
import { overflowEvents, type OverflowOptions } from './overflowEvents.js';
import { pruneAuditEvents } from './pruneAuditEvents.js';
import { scheduleRetention } from './auditRetention.js';

/** Where the postgres audit sink writes, how often, and how it holds up when PostgreSQL is away. */
export interface PostgresAuditOptions extends OverflowOptions {
  url: string;
  schema: string;
  /** Most events in one INSERT. */
  batchSize: number;
  /** Longest wait of an event in memory before it is written, ms. */
  flushIntervalMs: number;
  /** Events older than this are deleted every 10 minutes (auditRetention.ts); undefined keeps them. */
  retentionMs?: number;
  /** Events held while PostgreSQL is away or behind; beyond them, the fallback file or dropped (counted). */
  maxBuffered: number;
}

/** The postgres sink, with what /metrics reads of it and what stop and the tests call. */
export interface PostgresAuditLog extends AuditLog {
  /** Writes what is buffered (within `deadlineMs`; the rest overflows), stops the retention job and closes the pool. */
  close(deadlineMs?: number): Promise<void>;
  /** Deletes the events older than the retention now; resolves to how many. */
  prune(): Promise<number>;
  buffered(): number;
  lagSeconds(): number;
}

const RETRY_MAX_MS = 5000;

/** A failure to reach PostgreSQL (refused, dropped, timed out, shutting down): worth waiting for, unlike an SQL error. */
function isOutage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (error instanceof pg.DatabaseError) return /^(08|57P)/.test(error.code ?? '') || error.code === '42P01';
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || /connection|timeout|terminated/i.test((error as Error).message);
}

/**
 * Audit events in a PostgreSQL table, written off the request path: `write` only appends to a
 * bounded buffer; a batch goes out as one INSERT when it is full or `flushIntervalMs` after its
 * first event. While PostgreSQL is away, events wait (retries back off to 5 s) and are written
 * when it returns; what does not fit, and a batch PostgreSQL refuses as invalid, go to the
 * fallback file or are dropped, each counted. A request never waits for any of it.
 */
export function postgresAuditLog(options: PostgresAuditOptions): PostgresAuditLog {
  const schema = checkAuditSchemaName(options.schema);
  const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000, query_timeout: 10_000 });
  // An idle connection that breaks must not end the process: the next write opens another.
  pool.on('error', (error) => options.errors?.failed('audit_sink', error));
  const overflow = overflowEvents(options);
  const buffer: { event: AuditEvent; time: Date }[] = [];
  const lineOf = ({ event, time }: { event: AuditEvent; time: Date }) => JSON.stringify({ time: time.toISOString(), ...event });
  let tables: Promise<void> | undefined;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let retrying = false;
  let retryMs = options.flushIntervalMs;
  let closed = false;

  const ensureTables = () =>
    (tables ??= (async () => {
      const client = await pool.connect();
      try {
        await createAuditTables(client, schema);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      tables = undefined;
      throw error;
    }));

  /** Writes the oldest batch; false when PostgreSQL cannot be reached (the batch stays). */
  const writeBatch = async (): Promise<boolean> => {
    const batch = buffer.slice(0, options.batchSize);
    try {
      await ensureTables();
      const insert = insertRows(schema, batch.map(({ event, time }) => auditRowOf(event, time)));
      await pool.query(insert.text, insert.values);
    } catch (error) {
      options.errors?.failed('audit_sink', error);
      if (isOutage(error)) {
        // The table may have gone with the database: made again on the next try.
        if ((error as { code?: string }).code === '42P01') tables = undefined;
        return false;
      }
      // Refused as invalid, it would be refused forever: set aside, not retried.
      overflow(buffer.splice(0, batch.length).map(lineOf));
      return true;
    }
    buffer.splice(0, batch.length);
    options.errors?.recovered('audit_sink');
    return true;
  };

  const schedule = (ms: number) => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      retrying = false;
      kick();
    }, ms).unref();
  };
  const pump = async () => {
    while (buffer.length > 0 && !closed) {
      if (!(await writeBatch())) {
        retrying = true;
        schedule(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        return;
      }
      retryMs = options.flushIntervalMs;
    }
  };
  const kick = () => {
    writing ??= pump().finally(() => (writing = undefined));
  };

  let pruning: Promise<number> | undefined;
  const prune = () =>
    (pruning ??= (async () => {
      if (options.retentionMs === undefined) return 0;
      await ensureTables();
      return pruneAuditEvents(pool, schema, new Date(Date.now() - options.retentionMs));
    })().finally(() => (pruning = undefined)));
  const retention = options.retentionMs === undefined ? undefined : scheduleRetention(prune, options.errors);

  return {
    write(event) {
      if (closed || buffer.length >= options.maxBuffered) {
        overflow([JSON.stringify({ time: new Date().toISOString(), ...event })]);
        return;
      }
      buffer.push({ event, time: new Date() });
      // A full batch goes out on the next turn of the event loop, not within the caller's.
      if (buffer.length >= options.batchSize && !retrying) immediate ??= setImmediate(() => ((immediate = undefined), kick()));
      else schedule(options.flushIntervalMs);
    },
    async close(deadlineMs = 5000) {
      closed = true;
      clearTimeout(timer);
      clearImmediate(immediate);
      const deadline = Date.now() + deadlineMs;
      const remaining = () => new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
      const retentionStopped = retention?.stop();
      await Promise.race([writing, remaining()]);
      while (buffer.length > 0 && Date.now() < deadline && (await Promise.race([writeBatch(), remaining().then(() => false)]))) {
        // Written in batches until empty, PostgreSQL unreachable, or the deadline.
      }
      overflow(buffer.splice(0).map(lineOf));
      // A retention run in progress finishes its batch (within the deadline) before the pool closes.
      await Promise.race([Promise.all([retentionStopped, pruning?.catch(() => undefined)]), remaining()]);
      // A query still running ends within its query_timeout; stop does not wait for it.
      await Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
    prune,
    buffered: () => buffer.length,
    lagSeconds: () => (buffer.length > 0 ? (Date.now() - buffer[0].time.getTime()) / 1000 : 0),
  };
}
