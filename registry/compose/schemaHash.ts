import { createHash } from 'node:crypto';

/** Short SHA-256 of a supergraph SDL (hex, first 16 digits): what versions, audit events and responses name. */
export function schemaHash(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex').slice(0, 16);
}
