import type { KoaContextWithOIDC } from 'oidc-provider';
import { ROUTER_RESOURCE } from '../audiences.js';
import { own } from '../../lib/own.js';

/** Scopes of OpenID Connect itself, granted to anyone who signs in. */
const OIDC_SCOPES = new Set(['openid', 'offline_access']);

/**
 * Consent is implied for the first-party frontend: after login the grant covers the scopes the
 * client asked for, capped by the user's entitlements (asking for more grants only what the user
 * may delegate; the token response's `scope` says what was granted), for the router only
 * (oidc-provider's documented "skip consent" hook).
 */
export function loadExistingGrant(entitlements: Record<string, string[]>) {
  return async function loadGrant(ctx: KoaContextWithOIDC) {
    const { client, session, params, provider } = ctx.oidc;
    if (!client || !session?.accountId) return undefined;
    const existingId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    const grant = existingId
      ? await provider.Grant.find(existingId)
      : new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    if (!grant) return undefined;
    const entitled = new Set(own(entitlements, session.accountId) ?? []);
    const requested = typeof params?.scope === 'string' ? params.scope.split(' ').filter(Boolean) : ['openid'];
    const scope = requested.filter((name) => OIDC_SCOPES.has(name) || entitled.has(name)).join(' ');
    // What the user may not delegate is recorded as rejected, so it is settled rather than asked again.
    const refused = requested.filter((name) => !OIDC_SCOPES.has(name) && !entitled.has(name)).join(' ');
    grant.addOIDCScope(scope);
    if (refused) grant.rejectOIDCScope(refused);
    // Without a resource indicator the token is for the router (the provider's defaultResource).
    const resources = params?.resource === undefined ? [ROUTER_RESOURCE] : Array.isArray(params.resource) ? params.resource : [params.resource];
    // The frontend's users get tokens for the router only, never for the admin API.
    for (const resource of (resources as string[]).filter((r) => r === ROUTER_RESOURCE)) {
      grant.addResourceScope(resource, scope);
      if (refused) grant.rejectResourceScope(resource, refused);
    }
    await grant.save();
    return grant;
  };
}
