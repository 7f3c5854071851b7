import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a token: what logs, traces and cache keys carry instead of the token. */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
