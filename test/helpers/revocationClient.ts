import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { CookieJar } from '../../scripts/token/cookieJar.js';

/** A client at the revocation endpoint: confidential (HTTP Basic) or public (`client_id` only). */
export type RevokingClient = { id: string; secret: string } | { publicId: string };

/** POSTs to the RFC 7009 revocation endpoint; the body is parsed when there is one. */
export async function revoke(issuer: string, params: Record<string, string>, client: RevokingClient): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(params);
  if ('publicId' in client) form.set('client_id', client.publicId);
  else headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
  const response = await fetch(`${issuer}/token/revocation`, { method: 'POST', headers, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** RP-initiated logout as a browser does it: the confirmation page, then its form with `logout=yes`. */
export async function logout(issuer: string, jar: CookieJar, clientId = 'web-app'): Promise<Response> {
  const page = await fetch(`${issuer}/session/end?client_id=${clientId}`, { headers: { cookie: jar.header() } });
  jar.store(page);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!xsrf) throw new Error(`no logout form (status ${page.status})`);
  const confirm = await fetch(`${issuer}/session/end/confirm`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  });
  jar.store(confirm);
  return confirm;
}

/** Verifies a SET against the issuer's published JWKS, as a receiver would: signature, typ, iss, aud. */
export async function verifySet(issuer: string, set: string, audience: string): Promise<{ payload: JWTPayload; header: Record<string, unknown> }> {
  const { payload, protectedHeader } = await jwtVerify(set, createRemoteJWKSet(new URL(`${issuer}/jwks`)), {
    issuer,
    audience,
    typ: 'secevent+jwt',
    algorithms: ['ES256'],
    requiredClaims: ['iat', 'jti', 'events'],
  });
  return { payload, header: protectedHeader as Record<string, unknown> };
}
