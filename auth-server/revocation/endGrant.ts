import type Provider from 'oidc-provider';
import type { SessionEntry } from './sessionIndex.js';

/**
 * Ends one client's authorization in a login session: the grant's refresh tokens and codes, the
 * grant, and, when `forgetInSession`, the session's record of it, so that signing in again
 * starts a new grant with a new `sid` instead of reviving the revoked one. (A logout drops the
 * session itself: there the session is left to oidc-provider.)
 */
export async function endGrant(provider: Provider, entry: SessionEntry, forgetInSession: boolean): Promise<void> {
  await Promise.all([provider.RefreshToken.revokeByGrantId(entry.grantId), provider.AuthorizationCode.revokeByGrantId(entry.grantId)]);
  const grant = await provider.Grant.find(entry.grantId);
  await grant?.destroy();
  if (!forgetInSession) return;
  const session = await provider.Session.findByUid(entry.sessionUid);
  const authorizations = session?.authorizations;
  if (!session || !authorizations || authorizations[entry.clientId]?.sid !== entry.sid) return;
  delete authorizations[entry.clientId];
  await session.persist();
}
