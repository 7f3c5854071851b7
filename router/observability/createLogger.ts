import { pino, destination, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Levels `DEPUTY_LOG_LEVEL` may name; default info. */
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The router's one logger: JSON lines on stderr (stdout is the command's own output and the
 * stdout audit sink's). Created once at start and handed to every part that logs. Lines name
 * tokens only by fingerprint or jti, never the token.
 */
export function createLogger(level = process.env.DEPUTY_LOG_LEVEL ?? 'info'): Logger {
  if (!LEVELS.includes(level)) throw new Error(`DEPUTY_LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${level}"`);
  // Synchronous: a line about a failure must not be lost if the process ends right after it.
  return pino({ level, base: { name: 'deputy' }, messageKey: 'message' }, destination({ fd: 2, sync: true }));
}
