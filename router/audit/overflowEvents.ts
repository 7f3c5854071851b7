import { appendFileSync } from 'node:fs';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/** Where a buffered sink's events go when it cannot hold or write them. */
export interface OverflowOptions {
  /** A local file (JSON lines) for events the buffer cannot hold, and for what is left at shutdown. */
  fallbackFile?: string;
  /** Told of events written to the fallback file or dropped: never silent. */
  onOverflow?: (outcome: 'fallback' | 'dropped', count: number) => void;
  /** Told when writing the fallback file fails, and when it works again. */
  errors?: SwallowedErrors;
}

/** Sends JSON lines a buffered sink could not keep to the fallback file, or drops them; each counted. */
export function overflowEvents(options: OverflowOptions): (lines: string[]) => void {
  return (lines) => {
    if (lines.length === 0) return;
    if (options.fallbackFile) {
      try {
        appendFileSync(options.fallbackFile, lines.map((line) => `${line}\n`).join(''));
        options.onOverflow?.('fallback', lines.length);
        options.errors?.recovered('audit_fallback_file');
        return;
      } catch (error) {
        // The file cannot be written either: the events are dropped, and counted.
        options.errors?.failed('audit_fallback_file', error);
      }
    }
    options.onOverflow?.('dropped', lines.length);
  };
}
