import { TOKEN_CLAIMS_CHANGE } from '../securityEvents/eventTypes.js';
import { subjectOf } from '../securityEvents/subjectIdentifier.js';
import type { RevocationDeps } from './announceSessionRevoked.js';

/** What the claims-change trigger changes: the live entitlements, for these users and scopes. */
export interface EntitlementsState {
  /** user -> scopes, read by every login and every user token issued (createProvider.ts). */
  entitlements: Record<string, string[]>;
  users: Set<string>;
  /** The scopes a user token can hold at all (the router audience's). */
  userScopes: string[];
}

/**
 * The demo admin trigger for CAEP `token-claims-change`: `user` may be granted `scopes` from now
 * on. Tokens issued from then on carry at most those; the ones issued before are refused by this
 * server's exchanges, and receivers hear `token-claims-change` with `claims.scope` = the new
 * entitlements (the router treats it as revoking the subject's earlier tokens). Called in code
 * (RunningAuthServer.changeEntitlements), not over HTTP. Returns the event's `txn`.
 */
export function changeEntitlements(deps: RevocationDeps, state: EntitlementsState, user: string, scopes: string[]): string {
  if (!state.users.has(user)) throw new Error(`unknown user '${user}'`);
  const unknown = scopes.filter((scope) => !state.userScopes.includes(scope));
  if (unknown.length > 0) throw new Error(`unknown scope ${unknown.map((scope) => `'${scope}'`).join(', ')}`);
  state.entitlements[user] = [...new Set(scopes)];
  deps.revocations.changeClaims(user);
  const txn = deps.transmitter.transmit({
    type: TOKEN_CLAIMS_CHANGE,
    subject: subjectOf(deps.issuer, user),
    timestamp: Math.floor(Date.now() / 1000),
    details: { claims: { scope: state.entitlements[user].join(' ') } },
  });
  deps.audit({ event: 'claims.change', subject: user, scopes: state.entitlements[user], txn });
  return txn;
}
