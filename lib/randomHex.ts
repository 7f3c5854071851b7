import { randomFillSync } from 'node:crypto';

// Trace and span ids are asked for on every request and fetch: one 4 KiB fill of
// cryptographically random bytes serves hundreds of them instead of one call each.
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

/** `bytes` cryptographically random bytes as lowercase hex (trace and span ids). */
export function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
