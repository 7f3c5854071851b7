import { ADMIN_AUDIENCE_DEFINITION, ROUTER_AUDIENCE, SUBGRAPH_AUDIENCES, type AudienceDefinition } from './audiences.js';
import type { BrokerCallers } from '../lib/brokerPolicy.js';
import { own } from '../lib/own.js';

/**
 * Demo users. Users carry no roles here: roles belong to the subgraphs. The benchmark's
 * users (urigo...) sign in too, so the benchmark can run with their tokens.
 */
export const DEMO_USERS = ['alice', 'bob', 'carol', 'urigo', 'dotansimha', 'kamilkisiela', 'ardatan', 'gilgardosh', 'laurin'];

const READ_SCOPES = ['accounts:read', 'products:read', 'inventory:read', 'reviews:read'];

/**
 * What each user may delegate (the scopes a login can grant them at most): asking for more at
 * the authorization endpoint grants only these. Roles stay in the subgraphs; an entitlement
 * lets a user's token carry a scope, the subgraph's role table still decides.
 */
export const DEMO_ENTITLEMENTS: Record<string, string[]> = {
  alice: [...READ_SCOPES, 'reviews:write', 'trace:read'],
  bob: [...READ_SCOPES, 'reviews:write', 'inventory:write', 'trace:read'],
  carol: [...READ_SCOPES, 'reviews:write', 'inventory:write', 'products:write', 'trace:read'],
  ...Object.fromEntries(['urigo', 'dotansimha', 'kamilkisiela', 'ardatan', 'gilgardosh', 'laurin'].map((user) => [user, READ_SCOPES])),
};

/** Every scope a user token can hold; a login asking for all of it is granted what the user is entitled to. */
export const ALL_USER_SCOPES = 'openid accounts:read products:read inventory:read inventory:write products:write reviews:read reviews:write trace:read';

/** What a confidential client may exchange: whose tokens, toward which audiences, with which scopes. */
export interface ExchangePolicy {
  /** The `aud` a subject token must carry for this client to exchange it. */
  subjectAudience: string;
  /** Allowed target audiences and, for each, the scopes the client may pass on. */
  targets: Record<string, string[]>;
  /** May act for a registered service (actor_token): the router's delegation broker. */
  brokers?: boolean;
}

/** A client registered at the authorization server. */
export interface ClientDefinition {
  clientId: string;
  /** `none` for the public frontend; confidential clients authenticate at the token endpoint. */
  authMethod: 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  grantTypes: string[];
  redirectUris?: string[];
  /** Where RP-initiated logout may send the browser back to (`post_logout_redirect_uri`). */
  postLogoutRedirectUris?: string[];
  /** Public JWKS of a private_key_jwt client. */
  jwks?: { keys: object[] };
  /** Present only for clients allowed the token-exchange grant. */
  exchange?: ExchangePolicy;
  /** A service client: the audience of the tokens its service receives. */
  ownAudience?: string;
  /** Scopes the client may ask for in client credentials (e.g. schema:publish for a team); none when absent. */
  scope?: string;
  /** The audiences this client may obtain tokens for through its own grants (code, client credentials); exchanges follow `exchange`. */
  tokenAudiences: string[];
}

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const allSubgraphScopes = Object.fromEntries(SUBGRAPH_AUDIENCES.map((definition) => [definition.audience, definition.scopes]));

/**
 * The router's client: it may exchange tokens issued to it toward the four subgraphs, broker for
 * services, and get client credentials for each subgraph with no scope, to read the running
 * service's SDL (`_service { sdl }`, all a subgraph lets the router's own token do).
 */
export function routerClient(authMethod: ClientDefinition['authMethod'], jwks?: { keys: object[] }): ClientDefinition {
  return {
    clientId: ROUTER_AUDIENCE,
    authMethod,
    jwks,
    grantTypes: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
    tokenAudiences: SUBGRAPH_AUDIENCES.map((definition) => definition.audience),
    exchange: { subjectAudience: ROUTER_AUDIENCE, targets: allSubgraphScopes, brokers: true },
  };
}

/**
 * One service client per subgraph (`<name>-service`). Client credentials for the router's
 * audience only (to call POST /delegate), with no scope. A direct exchange (the fallback when
 * the broker is down) only where the broker policy lets it call, with the policy's read scopes
 * only; a service the policy does not name may not exchange at all.
 */
export function serviceClients(callers: BrokerCallers, audiences: AudienceDefinition[] = SUBGRAPH_AUDIENCES): ClientDefinition[] {
  return audiences.map(({ audience }) => {
    const clientId = `${audience}-service`;
    const targets = Object.fromEntries(
      Object.entries(own(callers, clientId)?.targets ?? {}).map(([target, scopes]) => [target, scopes.filter((scope) => scope.endsWith(':read'))]),
    );
    // A service the policy does not name keeps the grant with no target, so its attempts reach the audit.
    const listed = own(callers, clientId)?.subgraph === audience;
    return {
      clientId,
      authMethod: 'client_secret_basic',
      ownAudience: audience,
      tokenAudiences: [ROUTER_AUDIENCE],
      grantTypes: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
      exchange: { subjectAudience: audience, targets: listed ? targets : {} },
    };
  });
}

/**
 * One team client per subgraph (`<name>-team`): client credentials with the schema:publish
 * scope for the router's admin API only, which lets each team publish its own subgraph only.
 */
export function teamClients(): ClientDefinition[] {
  return SUBGRAPH_AUDIENCES.map(({ audience }) => ({
    clientId: `${audience}-team`,
    authMethod: 'client_secret_basic',
    grantTypes: ['client_credentials'],
    scope: 'schema:publish',
    tokenAudiences: [ADMIN_AUDIENCE_DEFINITION.audience],
  }));
}

/** The schema registry's admin client (`registry-admin`): client credentials with the schema:admin scope for the admin API (rollback, any approval). */
export const REGISTRY_ADMIN_CLIENT_ID = 'registry-admin';

export function registryAdminClient(): ClientDefinition {
  return { clientId: REGISTRY_ADMIN_CLIENT_ID, authMethod: 'client_secret_basic', grantTypes: ['client_credentials'], scope: 'schema:admin', tokenAudiences: [ADMIN_AUDIENCE_DEFINITION.audience] };
}

/** Every confidential client of the demo: each needs a secret (DEPUTY_CLIENT_SECRET_<ID>). */
export function confidentialClientIds(extra: AudienceDefinition[] = []): string[] {
  // A team's extra subgraph gets a service client (to call others through the broker), not a team client.
  return [
    ROUTER_AUDIENCE,
    REGISTRY_ADMIN_CLIENT_ID,
    ...SUBGRAPH_AUDIENCES.flatMap(({ audience }) => [`${audience}-service`, `${audience}-team`]),
    ...extra.map(({ audience }) => `${audience}-service`),
  ];
}

/** The public frontend client (authorization code + PKCE), redirecting to the router's console (after logout too): router tokens only. */
export function webAppClient(redirectUris: string[]): ClientDefinition {
  return { clientId: 'web-app', authMethod: 'none', grantTypes: ['authorization_code', 'refresh_token'], redirectUris, postLogoutRedirectUris: redirectUris, tokenAudiences: [ROUTER_AUDIENCE] };
}
