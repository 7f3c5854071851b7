import { pino, destination as pinoDestination, stdTimeFunctions } from 'pino';

/** One audit event: a structured JSON line. Never holds a token: fingerprints and jtis only. */
export interface AuditEvent {
  event: string;
  [field: string]: unknown;
}

/** Where audit events go. */
export interface AuditLog {
  write(event: AuditEvent): void;
}

/**
 * Audit events as JSON lines on stdout or appended to a file; `flush` before exit. pino only
 * formats and writes the lines here: this is a sink for audit events, not the router's logger.
 */
export function createAuditLog(sink: { kind: 'stdout' } | { kind: 'file'; path: string }): AuditLog & { flush(): void } {
  const destination = sink.kind === 'file' ? pinoDestination({ dest: sink.path, append: true, mkdir: true, sync: false }) : pinoDestination(1);
  const auditLines = pino({ base: null, messageKey: 'message', timestamp: stdTimeFunctions.isoTime }, destination);
  return { write: (event) => auditLines.info(event), flush: () => auditLines.flush() };
}

/** An audit log kept in memory (tests, and embedding code that forwards events itself). */
export function memoryAuditLog(): AuditLog & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { events, write: (event) => events.push({ time: new Date().toISOString(), ...event }) };
}
