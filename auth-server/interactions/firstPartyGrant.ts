import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import { ROUTER_RESOURCE } from '../audiences.js';
import { own } from '../../lib/own.js';

/** Scopes of OpenID Connect itself, granted to anyone who signs in. */
const OIDC_SCOPES = new Set(['openid', 'offline_access']);

/** An authorization request's scopes, sorted by what the user may grant. */
export interface RequestedScopes {
  /** OpenID Connect's own (openid, offline_access): granted with every login. */
  oidc: string[];
  /** API scopes the user is entitled to: what a login may grant. */
  entitled: string[];
  /** API scopes the user may not delegate (or that nothing defines): never granted. */
  unavailable: string[];
}

/** Sorts the `scope` parameter of an authorization request by the user's entitlements. */
export function requestedScopes(scope: unknown, entitlements: Record<string, string[]>, accountId: string): RequestedScopes {
  const entitled = new Set(own(entitlements, accountId) ?? []);
  const requested = typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : ['openid'];
  const api = requested.filter((name) => !OIDC_SCOPES.has(name));
  return {
    oidc: requested.filter((name) => OIDC_SCOPES.has(name)),
    entitled: api.filter((name) => entitled.has(name)),
    unavailable: api.filter((name) => !entitled.has(name)),
  };
}

/**
 * Writes a decision into `grant`: the OIDC scopes and `granted` are given, `refused` is
 * recorded as rejected (settled rather than asked again), for the router's resource only.
 */
export function recordScopes(grant: Grant, resource: unknown, oidc: string[], granted: string[], refused: string[]): void {
  const scope = [...oidc, ...granted].join(' ');
  grant.addOIDCScope(scope);
  if (refused.length) grant.rejectOIDCScope(refused.join(' '));
  // Without a resource indicator the token is for the router (the provider's defaultResource).
  const resources = resource === undefined ? [ROUTER_RESOURCE] : Array.isArray(resource) ? resource : [resource];
  // The frontend's users get tokens for the router only, never for the admin API.
  for (const indicator of (resources as string[]).filter((r) => r === ROUTER_RESOURCE)) {
    grant.addResourceScope(indicator, scope);
    if (refused.length) grant.rejectResourceScope(indicator, refused.join(' '));
  }
}

/**
 * Consent is implied for the first-party frontend: after login the grant covers the scopes the
 * client asked for, capped by the user's entitlements (asking for more grants only what the user
 * may delegate; the token response's `scope` says what was granted), for the router only
 * (oidc-provider's documented "skip consent" hook). A client that sends `prompt=consent` lets
 * the user choose instead (scopeChoice.ts): nothing is granted here until they have, and their
 * choice is then taken as it is, never widened back to all they are entitled to.
 */
export function loadExistingGrant(entitlements: Record<string, string[]>) {
  return async function loadGrant(ctx: KoaContextWithOIDC) {
    const { client, session, params, provider } = ctx.oidc;
    if (!client || !session?.accountId) return undefined;
    const chosenId = ctx.oidc.result?.consent?.grantId;
    if (chosenId) return provider.Grant.find(chosenId);
    const existingId = session.grantIdFor(client.clientId);
    // The scope choice will rewrite the session's grant (one per session and client, as logout expects); until then nothing is added.
    if (ctx.oidc.prompts.has('consent')) return existingId ? provider.Grant.find(existingId) : undefined;
    const grant = existingId
      ? await provider.Grant.find(existingId)
      : new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    if (!grant) return undefined;
    const { oidc, entitled, unavailable } = requestedScopes(params?.scope, entitlements, session.accountId);
    recordScopes(grant, params?.resource, oidc, entitled, unavailable);
    await grant.save();
    return grant;
  };
}
