import { readFileSync } from 'node:fs';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
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

/** RFC 6749 §2.3.1 client_secret_post: id and secret in the form body (Entra ID's usual spelling). */
export function clientSecretPost(clientId: string, secret: string): ClientAuthentication {
  return async ({ body }) => {
    body.set('client_id', clientId);
    body.set('client_secret', secret);
  };
}

/** RFC 8705 §2 tls_client_auth: the certificate on the TLS connection authenticates; the body names the client. */
export function tlsClientAuth(clientId: string): ClientAuthentication {
  return async ({ body }) => {
    body.set('client_id', clientId);
  };
}

/** RFC 7515 §4.1.8 x5t#S256: the base64url SHA-256 of a PEM certificate's DER form. */
export function certificateThumbprint(certificateFile: string): string {
  return createHash('sha256').update(new X509Certificate(readFileSync(certificateFile)).raw).digest('base64url');
}

/**
 * RFC 7523 private_key_jwt: a short-lived assertion signed with the router's private key, one
 * jti per request. With a certificate, the header also carries its `x5t#S256` thumbprint, which
 * Entra ID requires to find the certificate registered on the application.
 */
export async function privateKeyJwt(clientId: string, keyFile: string, tokenEndpoint: string, certificateFile?: string): Promise<ClientAuthentication> {
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  if (!jwk.alg || !jwk.kid) throw new Error(`${keyFile}: the private JWK needs "alg" and "kid"`);
  const key = (await importJWK(jwk, jwk.alg)) as CryptoKey;
  const thumbprint = certificateFile ? { 'x5t#S256': certificateThumbprint(certificateFile) } : {};
  return async ({ body }) => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid, ...thumbprint })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(tokenEndpoint)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
    // RFC 7521 §4.2: client_id may accompany the assertion; Entra ID's documented requests carry it.
    body.set('client_id', clientId);
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', assertion);
  };
}
