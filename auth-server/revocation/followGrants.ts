import type Provider from 'oidc-provider';
import type { RevocationCause } from '../auditEvents.js';
import { announceSessionRevoked, type RevocationDeps } from './announceSessionRevoked.js';
import { endGrant } from './endGrant.js';
import type { SessionIndex } from './sessionIndex.js';

/** Where oidc-provider revoked a grant, by route. */
const CAUSES: Record<string, RevocationCause> = {
  end_session_confirm: 'logout',
  revocation: 'token_revoked',
  token: 'replay',
};

/**
 * Follows oidc-provider's grants: each user token's sid is indexed with its grant and session as
 * the token is issued (sessionIdOf.ts gave it the sid), and each grant oidc-provider revokes is
 * announced as CAEP `session-revoked`: at logout (every grant of the session), when a refresh
 * token is revoked, and when a code or refresh token is used twice (RFC 6749 §4.1.2, RFC 9700
 * §4.14: the tokens already issued from it must stop working, and for JWTs only receivers can).
 */
export function followGrants(provider: Provider, index: SessionIndex, deps: RevocationDeps): void {
  provider.on('access_token.issued', (token) => {
    const { sid, grantId, accountId, sessionUid, clientId } = token;
    if (sid && grantId && accountId && sessionUid && clientId) index.remember({ sid, grantId, accountId, sessionUid, clientId });
  });
  provider.on('grant.revoked', (ctx, grantId) => {
    const entry = index.byGrant(grantId);
    if (!entry) return;
    index.forget(entry.sid);
    const cause = CAUSES[ctx.oidc.route] ?? 'grant_ended';
    const revoked = { cause, client: entry.clientId, subject: entry.accountId, sid: entry.sid };
    announceSessionRevoked(deps, revoked);
    // A logout drops the session itself; elsewhere the session still names this grant and its sid.
    if (cause === 'logout') return;
    endGrant(provider, entry, true).catch(() => deps.audit({ event: 'revocation', decision: 'failed', reason: 'server_error', ...revoked }));
  });
}
