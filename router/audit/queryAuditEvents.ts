import type pg from 'pg';
import type { AuditEvent } from './auditLog.js';

/** Most events one trace's story reads: a request touches a handful of subgraphs, not thousands. */
const TRACE_EVENTS_LIMIT = 10_000;

/** Every event recorded under one trace id, in the order they were written. */
export async function eventsOfTrace(pool: pg.Pool, schema: string, traceId: string): Promise<AuditEvent[]> {
  const { rows } = await pool.query(`SELECT data FROM ${schema}.audit_events WHERE trace_id = $1 ORDER BY id LIMIT $2`, [traceId, TRACE_EVENTS_LIMIT]);
  return rows.map((row: { data: AuditEvent }) => row.data);
}

/** The `request` events of one subject since `since`, newest first, at most `limit`. */
export async function requestsOfSubject(pool: pg.Pool, schema: string, subject: string, since: Date, limit: number): Promise<AuditEvent[]> {
  const { rows } = await pool.query(
    `SELECT data FROM ${schema}.audit_events WHERE subject = $1 AND time >= $2 AND event = 'request' ORDER BY time DESC, id DESC LIMIT $3`,
    [subject, since, limit],
  );
  return rows.map((row: { data: AuditEvent }) => row.data);
}
