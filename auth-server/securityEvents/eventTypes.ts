// The CAEP event types this server transmits (OpenID CAEP 1.0 §3.1 and §3.2).

/** CAEP `session-revoked`: every token of the session (or, without one, of the subject) so far must be refused. */
export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

/** CAEP `token-claims-change`: claims in the subject's tokens changed; tokens issued before no longer hold. */
export const TOKEN_CLAIMS_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/token-claims-change';

/** The last path segment of an event type, for audit lines (`session-revoked`). */
export function shortEventType(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1);
}
