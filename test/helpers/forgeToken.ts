import { SignJWT, generateKeyPair } from 'jose';

// Adversarial tokens for rejection tests. Keys are generated at run time; nothing here can
// sign a token the real issuer's keys would vouch for.

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with `alg: none` and no signature. */
export function unsignedToken(claims: object, header: object = {}): string {
  return `${encode({ alg: 'none', typ: 'at+jwt', ...header })}.${encode(claims)}.`;
}

/** A JWT signed by a freshly generated ES256 key the issuer has never seen, under any header (e.g. a real kid). */
export async function foreignToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...header }).sign(privateKey);
}

/** The decoded header of a JWT. */
export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
}
