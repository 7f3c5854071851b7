import { createHash } from 'node:crypto';
import { InvalidTokenError } from './tokenRejection.js';

// One token, one string: a JWT has other accepted spellings (base64url with non-zero trailing
// bits, the standard alphabet or padding where base64url is due, and for ECDSA the "high-S"
// twin of a signature, which verifies as well). Non-canonical spellings are refused; the
// signature's twin maps to the same key, so no variant gets its own cache entry or exchange.

/** The order of each ECDSA curve's group, by JWS algorithm (RFC 7518 §3.4). */
const CURVE_ORDERS: Record<string, bigint> = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512: 0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

/** A segment exactly as base64url (RFC 7515 §2: no padding, URL alphabet, zero trailing bits) would write its bytes. */
function decodeCanonical(segment: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) throw new InvalidTokenError('malformed_token');
  return bytes;
}

/** An ECDSA signature (r || s) with s in its low form, min(s, n - s). */
function lowS(signature: Buffer, order: bigint): Buffer {
  const half = signature.length / 2;
  const s = BigInt(`0x${signature.subarray(half).toString('hex') || '0'}`);
  if (s <= order / 2n) return signature;
  const low = (order - s).toString(16).padStart(half * 2, '0');
  return Buffer.concat([signature.subarray(0, half), Buffer.from(low, 'hex')]);
}

/**
 * The key a verified token is cached and exchanged under (SHA-256, hex): of what the issuer
 * signed and the signature in its canonical form. A segment not in canonical base64url is
 * refused (InvalidTokenError malformed_token) before any verification.
 */
export function tokenKey(token: string): string {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('malformed_token');
  const [header, , signature] = parts.map(decodeCanonical);
  let alg: unknown;
  try {
    alg = (JSON.parse(header.toString('utf8')) as { alg?: unknown }).alg;
  } catch {
    throw new InvalidTokenError('malformed_token');
  }
  const order = typeof alg === 'string' ? CURVE_ORDERS[alg] : undefined;
  const canonicalSignature = order && signature.length % 2 === 0 ? lowS(signature, order) : signature;
  return createHash('sha256').update(parts[0]).update('.').update(parts[1]).update('.').update(canonicalSignature.toString('base64url')).digest('hex');
}
