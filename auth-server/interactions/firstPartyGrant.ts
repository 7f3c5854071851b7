import type { KoaContextWithOIDC } from 'oidc-provider';
import { ROUTER_RESOURCE } from '../audiences.js';

/**
 * Consent is implied for the first-party frontend: after login the grant covers the scopes
 * and resource the client asked for (oidc-provider's documented "skip consent" hook).
 * The grant never widens anything: the resource server still caps scopes.
 */
export async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { client, session, params, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const existingId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const grant = existingId
    ? await provider.Grant.find(existingId)
    : new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  if (!grant) return undefined;
  const scope = typeof params?.scope === 'string' ? params.scope : 'openid';
  grant.addOIDCScope(scope);
  // Without a resource indicator the token is for the router (the provider's defaultResource).
  const resources = params?.resource === undefined ? [ROUTER_RESOURCE] : Array.isArray(params.resource) ? params.resource : [params.resource];
  // The frontend's users get tokens for the router only, never for the admin API.
  for (const resource of (resources as string[]).filter((r) => r === ROUTER_RESOURCE)) grant.addResourceScope(resource, scope);
  await grant.save();
  return grant;
}
