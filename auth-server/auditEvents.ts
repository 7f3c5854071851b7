import type { DirectExchangeEvent } from './tokenExchange/tokenExchangeGrant.js';
import type { DeliveryOutcome } from './securityEvents/pushSecurityEvent.js';

/** Why a session or token was revoked. */
export type RevocationCause =
  /** A client revoked a token at the RFC 7009 endpoint. */
  | 'token_revoked'
  /** The user signed out (RP-initiated logout). */
  | 'logout'
  /** oidc-provider saw an authorization code or refresh token used twice and revoked its grant. */
  | 'replay'
  /** oidc-provider revoked a grant for another reason. */
  | 'grant_ended';

/** One request to the revocation endpoint, a logout or a revoked grant: never the token itself. */
export interface RevocationAuditEvent {
  event: 'revocation';
  cause: RevocationCause;
  /** `revoked`; `ignored` (RFC 7009 §2.2: an unknown, invalid or expired token, or a public client's foreign one: 200, nothing done); `refused` (an error answer); `failed` (ending the grant failed here). */
  decision: 'revoked' | 'ignored' | 'refused' | 'failed';
  /** The authenticated client (or, for a logout, the client of the ended grant). */
  client?: string;
  subject?: string;
  sid?: string;
  jti?: string;
  /** Why it was ignored or refused: an OAuth error code or a token rejection reason. */
  reason?: string;
  /** The `txn` of the security events this revocation sent. */
  txn?: string;
}

/** A user's entitlements changed (the demo admin trigger of CAEP token-claims-change). */
export interface ClaimsChangeAuditEvent {
  event: 'claims.change';
  subject: string;
  /** The scopes the user may be granted from now on. */
  scopes: string[];
  txn: string;
}

/** The outcome of pushing one SET to one receiver, after its retries. */
export interface DeliveryAuditEvent extends DeliveryOutcome {
  event: 'set.delivery';
  /** `session-revoked` or `token-claims-change`. */
  eventType: string;
  txn: string;
  /** The SET's own `jti` (one per receiver). */
  jti?: string;
  /** The receiver's audience and URL. */
  receiver: string;
  url: string;
}

/** Every line of the authorization server's audit. */
export type AuthAuditEvent = DirectExchangeEvent | RevocationAuditEvent | ClaimsChangeAuditEvent | DeliveryAuditEvent;
