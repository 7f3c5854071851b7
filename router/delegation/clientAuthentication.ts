import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, type JWK, type CryptoKey } from 'jose';

/** Adds the router's client authentication to a token request (headers and/or body). */
export type ClientAuthentication = (request: { headers: Record<string, string>; body: URLSearchParams }) => Promise<void>;

/** RFC 6749 §2.3.1 client_secret_basic: id and secret, form-encoded, in HTTP Basic. */
export function clientSecretBasic(clientId: string, secret: string): ClientAuthentication {
  const credentials = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  return async ({ headers }) => {
    headers.authorization = `Basic ${credentials}`;
  };
}

/** RFC 7523 private_key_jwt: a short-lived assertion signed with the router's private key, one jti per request. */
export async function privateKeyJwt(clientId: string, keyFile: string, tokenEndpoint: string): Promise<ClientAuthentication> {
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  if (!jwk.alg || !jwk.kid) throw new Error(`${keyFile}: the private JWK needs "alg" and "kid"`);
  const key = (await importJWK(jwk, jwk.alg)) as CryptoKey;
  return async ({ body }) => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(tokenEndpoint)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', assertion);
  };
}
