import { pino, destination as pinoDestination, stdTimeFunctions, type Logger } from 'pino';

/** One audit event: a structured JSON line. Never holds a token: fingerprints and jtis only. */
export interface AuditEvent {
  event: string;
  [field: string]: unknown;
}

/** Where audit events go. */
export interface AuditLog {
  write(event: AuditEvent): void;
}

/** Audit events as JSON lines (pino) on stdout or appended to a file; `flush` before exit. */
export function createAuditLog(sink: { kind: 'stdout' } | { kind: 'file'; path: string }): AuditLog & { flush(): void } {
  const destination = sink.kind === 'file' ? pinoDestination({ dest: sink.path, append: true, mkdir: true, sync: false }) : pinoDestination(1);
  const logger: Logger = pino({ base: null, messageKey: 'message', timestamp: stdTimeFunctions.isoTime }, destination);
  return { write: (event) => logger.info(event), flush: () => logger.flush() };
}

/** An audit log kept in memory (tests, and embedding code that forwards events itself). */
export function memoryAuditLog(): AuditLog & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { events, write: (event) => events.push({ time: new Date().toISOString(), ...event }) };
}
