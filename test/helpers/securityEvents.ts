import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { TestAuth } from './startAuth.js';
import { SESSION_REVOKED, TOKEN_CLAIMS_CHANGE } from '../../lib/securityEvents/caepEvents.js';

// Security Event Tokens as the authorization server's transmitter pushes them (RFC 8935, CAEP),
// signed with the real test issuer's key, and user tokens that carry a session id (`sid`).

/** Epoch seconds now. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The CAEP session-revoked event of a user's session, at `at` (epoch seconds). */
export function sessionRevoked(auth: TestAuth, sub: string, sid: string, at = nowSeconds()): Record<string, unknown> {
  const subject = { format: 'complex', user: { format: 'iss_sub', iss: auth.issuer, sub }, session: { format: 'opaque', id: sid } };
  return { [SESSION_REVOKED]: { subject, event_timestamp: at } };
}

/** The CAEP token-claims-change event of a user, at `at` (epoch seconds). */
export function claimsChanged(auth: TestAuth, sub: string, at = nowSeconds()): Record<string, unknown> {
  return { [TOKEN_CLAIMS_CHANGE]: { subject: { format: 'iss_sub', iss: auth.issuer, sub }, event_timestamp: at } };
}

/** A SET signed by the issuer for `audience` holding `events`; `claims` and `header` replace what they name. */
export function signSet(auth: TestAuth, audience: string, events: Record<string, unknown>, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  return auth.signAsIssuer({ iss: auth.issuer, aud: audience, iat: nowSeconds(), jti: randomUUID(), events, ...claims }, { typ: 'secevent+jwt', ...header });
}

/** POSTs a SET (RFC 8935 §2.1) to `url`: the status and the JSON body, if any. */
export async function pushSet(url: string, set: string, contentType = 'application/secevent+jwt'): Promise<{ status: number; body: Record<string, unknown> | undefined; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/json' }, body: set });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: response.headers };
}

/**
 * A user token for the router carrying a session id, as the authorization server will issue them
 * (`sid`), signed with its key: the embedded server's own login tokens carry no `sid` yet.
 */
export function sessionToken(auth: TestAuth, sub: string, sid: string, iat = nowSeconds() - 5): Promise<string> {
  return auth.signAsIssuer({
    iss: auth.issuer,
    sub,
    aud: 'deputy-router',
    client_id: 'web-app',
    scope: 'accounts:read products:read inventory:read reviews:read',
    sid,
    iat,
    exp: iat + 3600,
    jti: randomUUID(),
  });
}

/** Where a router (given its /graphql URL) receives security events. */
export const eventsUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/events');
