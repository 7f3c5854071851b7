/** CAEP 1.0 §3.1 Session Revoked: the session of the subject was ended. */
export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

/** CAEP 1.0 §3.2 Token Claims Change: a claim in the subject's tokens has changed. */
export const TOKEN_CLAIMS_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/token-claims-change';

/** The CAEP events that revoke tokens, by event type URI and short name. */
export const REVOKING_EVENTS = {
  [SESSION_REVOKED]: 'session-revoked',
  [TOKEN_CLAIMS_CHANGE]: 'token-claims-change',
} as const;

/** The short name of a revoking CAEP event (the last segment of its URI). */
export type RevocationEvent = (typeof REVOKING_EVENTS)[keyof typeof REVOKING_EVENTS];

/** The short name of an event type URI, or undefined for an event that revokes nothing here. */
export function revokingEvent(eventType: string): RevocationEvent | undefined {
  return Object.hasOwn(REVOKING_EVENTS, eventType) ? REVOKING_EVENTS[eventType as keyof typeof REVOKING_EVENTS] : undefined;
}
