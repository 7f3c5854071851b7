import type { AuditEvent } from './auditLog.js';

/** One audit event as a row of `audit_events`: the columns it is found by, and the whole event as JSON. */
export interface AuditRow {
  time: Date;
  event: string;
  traceId: string | null;
  subject: string | null;
  client: string | null;
  /** The event with its time, as JSON text (jsonb). */
  data: string;
}

// PostgreSQL's text and jsonb hold no NUL character: a subject or a field that carried one would
// make the whole batch fail, again and again. It becomes U+FFFD (an escaped backslash stays one).
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;
const clean = (text: string) => text.replace(/\0/g, '\uFFFD');
const column = (value: unknown) => (typeof value === 'string' ? clean(value) : null);

/** The row of an event written at `time`. */
export function auditRowOf(event: AuditEvent, time: Date): AuditRow {
  return {
    time,
    event: clean(event.event),
    traceId: column(event.traceId),
    subject: column(event.subject),
    client: column(event.client),
    data: JSON.stringify({ time: time.toISOString(), ...event }).replace(ESCAPED_NUL, '$1\\ufffd'),
  };
}

/** The INSERT of a batch of rows: one statement, one array per column (unnest), whatever the batch's size. */
export function insertRows(schema: string, rows: AuditRow[]): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO ${schema}.audit_events (time, event, trace_id, subject, client, data)
           SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
    values: [rows.map((row) => row.time), rows.map((row) => row.event), rows.map((row) => row.traceId), rows.map((row) => row.subject), rows.map((row) => row.client), rows.map((row) => row.data)],
  };
}
