import type { AuthAuditEvent, RevocationAuditEvent } from '../auditEvents.js';
import { SESSION_REVOKED } from '../securityEvents/eventTypes.js';
import { subjectOf } from '../securityEvents/subjectIdentifier.js';
import type { Transmitter } from '../securityEvents/createTransmitter.js';
import type { RevocationList } from './revocationList.js';

/** What revocation needs from the server around it. */
export interface RevocationDeps {
  issuer: string;
  revocations: RevocationList;
  transmitter: Transmitter;
  audit: (event: AuthAuditEvent) => void;
}

/** A session (or, without a sid, a subject's tokens) that just ended. */
export type RevokedSession = Pick<RevocationAuditEvent, 'cause' | 'client' | 'sid' | 'jti'> & { subject: string };

/**
 * Records the session as revoked here (no exchange from its tokens any more), pushes CAEP
 * `session-revoked` to every receiver at once, and audits it with the events' `txn`.
 */
export function announceSessionRevoked(deps: RevocationDeps, revoked: RevokedSession): void {
  if (revoked.sid) deps.revocations.revokeSession(revoked.sid);
  const txn = deps.transmitter.transmit({
    type: SESSION_REVOKED,
    subject: subjectOf(deps.issuer, revoked.subject, revoked.sid),
    timestamp: Math.floor(Date.now() / 1000),
  });
  deps.audit({ event: 'revocation', decision: 'revoked', ...revoked, txn });
}
