import Provider, { errors, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import { createLocalJWKSet } from 'jose';
import type { AuthServerConfig } from './config.js';
import { ADMIN_AUDIENCE_DEFINITION, routerAudienceDefinition, subgraphAudiences, type AudienceDefinition } from './audiences.js';
import { TOKEN_EXCHANGE_GRANT, type ClientDefinition } from './demoIdentities.js';
import { SIGNING_ALG, publicJwksOf } from './signingKeys.js';
import { tokenExchangeGrant, type DirectExchangeEvent } from './tokenExchange/tokenExchangeGrant.js';
import { EXCHANGE_PARAMETERS, REPEATABLE_PARAMETERS } from './tokenExchange/readExchangeRequest.js';
import { loadExistingGrant } from './interactions/firstPartyGrant.js';
import { clientCredentialsAudience } from './clientCredentialsAudience.js';
import { own } from '../lib/own.js';
import { sessionIdOf } from './sessionIdOf.js';
import { logoutSource, postLogoutSuccessSource } from './interactions/logoutPages.js';
import { escapeHtml } from './interactions/escapeHtml.js';
import { allowedPolicy } from './revocation/revocationPolicy.js';
import type { RevocationList } from './revocation/revocationList.js';

function clientMetadata(client: ClientDefinition, secrets: Record<string, string>): ClientMetadata {
  const secret = client.authMethod.startsWith('client_secret') ? secrets[client.clientId] : undefined;
  if (client.authMethod.startsWith('client_secret') && !secret) {
    throw new Error(`client ${client.clientId} needs a secret (clientSecrets.${client.clientId})`);
  }
  return {
    client_id: client.clientId,
    ...(secret ? { client_secret: secret } : {}),
    token_endpoint_auth_method: client.authMethod,
    ...(client.authMethod === 'private_key_jwt' ? { token_endpoint_auth_signing_alg: SIGNING_ALG, jwks: client.jwks } : {}),
    grant_types: client.grantTypes,
    ...(client.scope ? { scope: client.scope } : {}),
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    redirect_uris: client.redirectUris ?? [],
    post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
  };
}

/** Every audience a token can be issued for: the router (user tokens), the admin API and the subgraphs (exchanges), extra ones included. */
function audiencesOf(subgraphs: AudienceDefinition[]): AudienceDefinition[] {
  return [routerAudienceDefinition(subgraphs), ADMIN_AUDIENCE_DEFINITION, ...subgraphs];
}

/** How long a login session and its grants live (seconds). */
export const SESSION_TTL_SECONDS = 8 * 3600;

/** What the provider shares with the server around it. */
export interface ProviderHooks {
  directExchange?: (event: DirectExchangeEvent) => void;
  /** What has been revoked: revoked tokens are never exchanged. */
  revocations?: RevocationList;
}

/** Builds the oidc-provider instance: discovery, JWKS, client auth, code + PKCE, RFC 8693, RFC 7009 and logout. */
export function createProvider(config: AuthServerConfig & { issuer: string }, hooks: ProviderHooks = {}): Provider {
  const users = new Set(config.users);
  // Read at every issue, so a change of entitlements (changeEntitlements.ts) holds for the next token.
  const entitledTo = (accountId: string) => new Set(own(config.entitlements, accountId) ?? []);
  const definitionOf = (clientId: string) => config.clients.find((client) => client.clientId === clientId);
  const publicJwks = publicJwksOf(config.signingJwks!);
  const subgraphs = subgraphAudiences(config.audiences);
  const audiences = audiencesOf(subgraphs);
  const [router] = audiences;
  const provider = new Provider(config.issuer, {
    clients: config.clients.map((client) => clientMetadata(client, config.clientSecrets)),
    jwks: config.signingJwks as { keys: never[] },
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG, grant_types: [], response_types: [] },
    enabledJWA: { clientAuthSigningAlgValues: [SIGNING_ALG, 'RS256', 'PS256', 'EdDSA'] },
    pkce: { required: () => true },
    // A browser app (the router's console) calls the token endpoint from its own origin: CORS is
    // allowed only for the origins of the calling client's registered redirect URIs.
    clientBasedCORS: (_ctx, origin, client) => (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    // Every scope some audience defines (client metadata may only name supported scopes).
    scopes: ['openid', 'offline_access', ...new Set(audiences.flatMap((definition) => definition.scopes))],
    findAccount: (_ctx, sub) => (users.has(sub) ? { accountId: sub, claims: () => ({ sub }) } : undefined),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: loadExistingGrant(config.entitlements),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      // RFC 7009 at /token/revocation: a client revokes its own tokens (revocation/revocationPolicy.ts);
      // JWT access tokens are revoked by revocation/revokeStructuredToken.ts.
      revocation: { enabled: true, allowedPolicy },
      // RP-initiated logout at /session/end: "Sign out" revokes every grant of the session and ends it.
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        // Client credentials may name their audience instead of a resource indicator.
        defaultResource: (ctx) => clientCredentialsAudience(ctx, audiences)?.resources[0] ?? router.resources[0],
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator, client) => {
          const definition = audiences.find((candidate) => candidate.resources.includes(indicator));
          if (!definition) throw new errors.InvalidTarget(`unknown resource '${indicator}'`);
          const named = clientCredentialsAudience(ctx, audiences);
          if (named && named !== definition) throw new errors.InvalidTarget('audience and resource name different audiences');
          // Each client obtains tokens only for the audiences it is registered for (README.md, "Authorization model").
          const registered = definitionOf(client.clientId);
          if (!registered?.tokenAudiences.includes(definition.audience)) {
            throw new errors.InvalidTarget(`this client may not obtain tokens for '${indicator}'`);
          }
          // Client credentials carry only the scopes registered for the client (none for a service or
          // the router): a service acts as itself only to reach the broker, the router only to read
          // a subgraph's SDL, never with a user's scopes.
          // A user's token carries at most what the user is entitled to now, also from a grant made before a change.
          const accountId = ctx.oidc.account?.accountId;
          const scopes =
            ctx.oidc.params?.grant_type === 'client_credentials'
              ? (registered.scope ?? '').split(' ').filter((scope) => definition.scopes.includes(scope))
              : accountId
                ? definition.scopes.filter((scope) => entitledTo(accountId).has(scope))
                : definition.scopes;
          return {
            audience: definition.audience,
            scope: scopes.join(' '),
            accessTokenFormat: 'jwt',
            accessTokenTTL: config.userTokenTtlSeconds,
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    // oidc-provider recomputes `extra` when it serializes a token; keep what the exchange set. A token
    // of a login session (and a token exchanged from one) carries its `sid`, so that a receiver of
    // CAEP session-revoked can tell which tokens the revoked session covers.
    extraTokenClaims: async (ctx, token) => {
      const extra = 'extra' in token ? (token.extra as Record<string, unknown> | undefined) : undefined;
      const sid = token.kind === 'AccessToken' ? await sessionIdOf(ctx.oidc.provider, token) : undefined;
      return sid ? { ...extra, sid } : extra;
    },
    // Explicit lifetimes (seconds) for every stateful artifact of the login flow.
    ttl: { AccessToken: config.userTokenTtlSeconds, Interaction: 600, Session: SESSION_TTL_SECONDS, Grant: SESSION_TTL_SECONDS, IdToken: 3600, AuthorizationCode: 60, ClientCredentials: 600 },
    cookies: { keys: [crypto.randomUUID()] },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p>`;
    },
  });
  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    tokenExchangeGrant({
      clients: config.clients,
      users,
      routerAudience: router.audience,
      onDirectExchange: hooks.directExchange,
      audiences: subgraphs,
      // Our own tokens, verified with our own keys on our own clock: no skew allowed.
      verify: { issuer: config.issuer, keys: createLocalJWKSet(publicJwks), algorithms: [SIGNING_ALG], clockToleranceSeconds: 0 },
      ttlSeconds: config.exchangedTokenTtlSeconds,
      maxActDepth: config.maxActDepth,
      revocations: hooks.revocations,
    }),
    EXCHANGE_PARAMETERS,
    REPEATABLE_PARAMETERS,
  );
  return provider;
}
