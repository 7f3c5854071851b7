import type { VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { DelegationAcceptance } from '../../lib/checkDelegation.js';

/**
 * Whether a verified token is an SDL reader's: a client's own token (no `act` at all, `sub` =
 * the client) from a client `readers` names. A service the acceptance lets call as itself
 * stays a full caller: its configuration said so.
 */
export function isSdlReader(token: VerifiedToken, readers: readonly string[], acceptance: DelegationAcceptance): boolean {
  return token.claims.act === undefined && token.sub === token.clientId && readers.includes(token.clientId) && !acceptance.servicesAsThemselves.includes(token.sub);
}
