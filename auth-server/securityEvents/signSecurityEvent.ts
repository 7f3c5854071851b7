import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { SIGNING_ALG } from '../signingKeys.js';
import type { EventSubject } from './subjectIdentifier.js';

/** One event, before it is addressed to a receiver. */
export interface SecurityEvent {
  /** The event type URI (eventTypes.ts). */
  type: string;
  subject: EventSubject;
  /** When it happened, seconds since the epoch (CAEP `event_timestamp`). */
  timestamp: number;
  /** Event-specific members besides the subject and timestamp (`claims` for token-claims-change). */
  details?: Record<string, unknown>;
}

/** A signed SET and its `jti`. */
export interface SignedEvent {
  set: string;
  jti: string;
}

/**
 * Signs SETs (RFC 8417) with the issuer's current key: the first ES256 signing key of the JWKS
 * it publishes, the one oidc-provider picks for tokens, so receivers verify SETs with the keys
 * they already fetch. `typ: secevent+jwt` (RFC 8417 §2.3) keeps a SET from passing for any
 * other JWT; there is no `exp` (a SET states a fact, §2.2) and never a token inside.
 */
export function createSetSigner(issuer: string, signingJwks: { keys: object[] }) {
  const jwk = (signingJwks.keys as JWK[]).find((key) => (key.alg ?? SIGNING_ALG) === SIGNING_ALG && (key.use ?? 'sig') === 'sig');
  if (!jwk) throw new Error(`the signing JWKS has no ${SIGNING_ALG} signing key for security events`);
  // Imported on first use, so a bad key is a failed delivery (audited), never an unhandled rejection.
  let key: ReturnType<typeof importJWK> | undefined;
  return async function sign(event: SecurityEvent, audience: string, txn: string): Promise<SignedEvent> {
    key ??= importJWK(jwk, SIGNING_ALG);
    const jti = randomUUID();
    const body = { ...event.details, subject: event.subject, event_timestamp: event.timestamp };
    const set = await new SignJWT({ events: { [event.type]: body }, txn })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: jwk.kid, typ: 'secevent+jwt' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setJti(jti)
      .sign(await key);
    return { set, jti };
  };
}
