import { pino, type Logger } from 'pino';

/** A logger whose lines are kept, parsed, for a test to read. */
export function captureLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const logger = pino({ level: 'debug', messageKey: 'message' }, { write: (line: string) => void raw.push(line) });
  return {
    logger,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => raw.join(''),
  };
}
