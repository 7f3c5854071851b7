import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, INTERNAL_ERROR_CODES, errorCodeTable } from '../../../lib/errors/errorCodes.js';

/** Capitalized string literals that are not error codes: HTTP methods, signals, Node's own error codes (and DEPUTY_ variables). */
const NOT_CODES = new Set(['POST', 'HEAD', 'SIGINT', 'SIGTERM', 'EADDRINUSE', 'ECONNRESET', 'EPIPE', 'HPE_HEADER_OVERFLOW']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('the list of error codes', () => {
  it('holds every code string the router and lib source can send', () => {
    const listed = new Set<string>([...Object.keys(ERROR_CODES), ...INTERNAL_ERROR_CODES]);
    const unlisted: string[] = [];
    for (const file of [...sourceFiles('router'), ...sourceFiles('lib')]) {
      for (const [, literal] of readFileSync(file, 'utf8').matchAll(/['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})['"`]/g)) {
        if (!listed.has(literal) && !NOT_CODES.has(literal) && !literal.startsWith('DEPUTY_')) unlisted.push(`${literal} (${file})`);
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('gives every code at least one HTTP status and a one-line meaning', () => {
    for (const [code, { status, meaning }] of Object.entries(ERROR_CODES)) {
      expect(status.length, code).toBeGreaterThan(0);
      expect(meaning, code).not.toMatch(/\n/);
    }
  });

  it('is the table in README.md "Error codes" (copy errorCodeTable() there when it changes)', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`${errorCodeTable()}\n`);
  });
});
