import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import { createPublicKey, randomUUID, type JsonWebKey } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';

/** The one algorithm the server signs access and ID tokens with. */
export const SIGNING_ALG = 'ES256';

/** A fresh ES256 signing key as a private JWKS; nothing is written to disk. */
export async function generateSigningJwks(): Promise<{ keys: object[] }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, kid: randomUUID(), alg: SIGNING_ALG, use: 'sig' }] };
}

/** Loads a private JWKS file (e.g. DEPUTY_AUTH_JWKS_FILE) so keys survive restarts. */
export function loadSigningJwks(file: string): { keys: object[] } {
  const jwks = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new Error(`${file}: expected a JWKS with at least one private key in "keys"`);
  }
  return jwks as { keys: object[] };
}

/** The public half of a private JWKS, keeping kid, alg and use. */
export function publicJwksOf(jwks: { keys: object[] }): JSONWebKeySet {
  return {
    keys: jwks.keys.map((key) => {
      const { kid, alg, use } = key as { kid?: string; alg?: string; use?: string };
      const publicJwk = createPublicKey({ key: key as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' });
      return { ...publicJwk, kid, alg, use };
    }),
  };
}
