import { ROUTER_AUDIENCE, SUBGRAPH_AUDIENCES } from './audiences.js';

/**
 * Demo users. Users carry no roles here: roles belong to the subgraphs. The benchmark's
 * users (urigo...) sign in too, so the benchmark can run with their tokens.
 */
export const DEMO_USERS = ['alice', 'bob', 'carol', 'urigo', 'dotansimha', 'kamilkisiela', 'ardatan', 'gilgardosh', 'laurin'];

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
  /** Public JWKS of a private_key_jwt client. */
  jwks?: { keys: object[] };
  /** Present only for clients allowed the token-exchange grant. */
  exchange?: ExchangePolicy;
  /** A service client: the audience of the tokens its service receives. */
  ownAudience?: string;
  /** Scopes the client may ask for in client credentials (e.g. schema:publish for a team). */
  scope?: string;
  /** Resource indicators only this kind of client may ask for (the admin API for teams). */
  privilegedResources?: string[];
}

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const allSubgraphScopes = Object.fromEntries(SUBGRAPH_AUDIENCES.map((definition) => [definition.audience, definition.scopes]));

/** The router's client: it may exchange tokens issued to it toward the four subgraphs. */
export function routerClient(authMethod: ClientDefinition['authMethod'], jwks?: { keys: object[] }): ClientDefinition {
  return {
    clientId: ROUTER_AUDIENCE,
    authMethod,
    jwks,
    grantTypes: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
    exchange: { subjectAudience: ROUTER_AUDIENCE, targets: allSubgraphScopes, brokers: true },
  };
}

/**
 * One service client per subgraph (`<name>-service`), for service-to-service delegation: it
 * may exchange a token issued to its own subgraph toward the other subgraphs, read-only.
 */
export function serviceClients(): ClientDefinition[] {
  return SUBGRAPH_AUDIENCES.map(({ audience }) => ({
    clientId: `${audience}-service`,
    authMethod: 'client_secret_basic',
    ownAudience: audience,
    grantTypes: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
    exchange: {
      subjectAudience: audience,
      targets: Object.fromEntries(
        SUBGRAPH_AUDIENCES.filter((other) => other.audience !== audience).map((other) => [
          other.audience,
          other.scopes.filter((scope) => scope.endsWith(':read')),
        ]),
      ),
    },
  }));
}

/**
 * One team client per subgraph (`<name>-team`): client credentials with the schema:publish
 * scope for the router's admin API, which lets each team publish its own subgraph only.
 */
export function teamClients(): ClientDefinition[] {
  return SUBGRAPH_AUDIENCES.map(({ audience }) => ({
    clientId: `${audience}-team`,
    authMethod: 'client_secret_basic',
    grantTypes: ['client_credentials'],
    scope: 'schema:publish',
    privilegedResources: ['urn:deputy:admin'],
  }));
}

/** Every confidential client of the demo: each needs a secret (DEPUTY_CLIENT_SECRET_<ID>). */
export function confidentialClientIds(): string[] {
  return [ROUTER_AUDIENCE, ...[...serviceClients(), ...teamClients()].map((client) => client.clientId)];
}

/** The public frontend client (authorization code + PKCE), redirecting to the router's console. */
export function webAppClient(redirectUris: string[]): ClientDefinition {
  return { clientId: 'web-app', authMethod: 'none', grantTypes: ['authorization_code', 'refresh_token'], redirectUris };
}
