import { errors } from 'oidc-provider';
import type { VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { RevocationList, RevocationReason } from '../revocation/revocationList.js';

const WHY: Record<RevocationReason, string> = {
  token_revoked: 'it was revoked',
  session_revoked: 'its session was revoked',
  claims_changed: "its subject's entitlements changed since it was issued",
};

/** A revoked subject or actor token is `invalid_request` (RFC 8693 §2.2.2), like any other unacceptable token. */
export function refuseRevoked(revocations: RevocationList | undefined, token: VerifiedToken, parameter: string): void {
  const reason = revocations?.reasonRevoked(token);
  if (reason) throw new errors.InvalidRequest(`${parameter} rejected: ${WHY[reason]}`);
}
