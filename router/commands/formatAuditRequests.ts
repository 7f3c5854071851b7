import type { AuditEvent } from '../audit/auditLog.js';

const COLUMNS = ['time', 'trace id', 'operation', 'outcome', 'status', 'denials', 'ms'] as const;

/** `deputy audit --subject <s>`: one line per request, newest first, with its outcome and denials. */
export function formatAuditRequests(subject: string, since: Date, events: AuditEvent[]): string {
  const heading = `requests of ${subject} since ${since.toISOString()}: ${events.length}`;
  if (events.length === 0) return heading;
  const rows = events.map((event) => [
    String(event.time ?? ''),
    String(event.traceId ?? ''),
    event.operationName ? String(event.operationName) : `(${String(event.operationType ?? 'none')})`,
    `${String(event.outcome ?? '')}${event.code && event.outcome !== 'ok' && event.outcome !== 'partial' ? ` ${String(event.code)}` : ''}`,
    String(event.status ?? ''),
    String(event.denials ?? 0),
    String(event.durationMs ?? ''),
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [heading, '', line(COLUMNS), ...rows.map(line)].join('\n');
}
