import type { AuditLog } from '../audit/auditLog.js';
import type { Revocation } from '../../lib/securityEvents/revocation.js';

/** Where an instance learnt of a revocation: pushed to it by the issuer, or shared by another instance. */
export type RevocationSource = 'push' | 'shared';

/**
 * The audit event of one revocation this instance applied (`token.revoked`): the CAEP event, the
 * user and session it names, from when tokens are refused, the SET's jti. Never a token.
 */
export function revocationAudit(audit: AuditLog): (revocation: Revocation, source: RevocationSource) => void {
  return (revocation, source) =>
    audit.write({
      event: 'token.revoked',
      eventType: revocation.event,
      subject: revocation.sub,
      sid: revocation.sid,
      issuedAtOrBefore: new Date(revocation.before * 1000).toISOString(),
      jti: revocation.jti,
      source,
    });
}
