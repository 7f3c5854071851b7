import type { ProfileName } from '../../lib/tokenProfile.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * How the router asks its issuer for a subgraph's token (router.yaml `exchange.grant`,
 * `exchange.targetParameter`, `exchange.requestedTokenType`):
 * - `token-exchange`: RFC 8693 §2.1, the target named by `audience`, `resource` or both;
 * - `entra-obo`: Microsoft Entra ID's on-behalf-of flow, the JWT bearer grant (RFC 7523 §2.1)
 *   with `requested_token_use=on_behalf_of` and the target as `scope=<app id URI>/.default`.
 */
export interface ExchangeDialect {
  grant: 'token-exchange' | 'entra-obo';
  targetParameter: 'audience' | 'resource' | 'both';
  /** Sent as `requested_token_type` when set (token-exchange only). */
  requestedTokenType?: string;
}

/**
 * Each identity provider's defaults: the embedded server and Keycloak's standard token
 * exchange (v2) name the requested type; Okta's and Auth0's on-behalf-of exchanges take an
 * audience and scopes only; Entra ID speaks its own on-behalf-of grant.
 */
export function defaultDialect(profile: ProfileName): ExchangeDialect {
  switch (profile) {
    case 'entra':
      return { grant: 'entra-obo', targetParameter: 'audience' };
    case 'okta':
    case 'auth0':
      return { grant: 'token-exchange', targetParameter: 'audience' };
    case 'rfc9068':
    case 'keycloak':
      return { grant: 'token-exchange', targetParameter: 'audience', requestedTokenType: ACCESS_TOKEN_TYPE };
  }
}

/** What one exchange asks for: whose token, for which target, with which scopes. */
export interface ExchangeTarget {
  subjectToken: string;
  /** The service the router acts for (RFC 8693 actor_token), when brokering; token-exchange only. */
  actorToken?: string;
  /** The subgraph's audience (or resource URI) at the issuer. */
  audience: string;
  scopes: string[];
  /** Entra's scope for the subgraph; default `<audience>/.default`. */
  entraScope?: string;
}

/** The form body of one exchange request in the dialect's words (client authentication is added after). */
export function exchangeBody(dialect: ExchangeDialect, target: ExchangeTarget): URLSearchParams {
  if (dialect.grant === 'entra-obo') {
    return new URLSearchParams({
      grant_type: JWT_BEARER_GRANT,
      assertion: target.subjectToken,
      requested_token_use: 'on_behalf_of',
      scope: target.entraScope ?? `${target.audience.replace(/\/$/, '')}/.default`,
    });
  }
  const body = new URLSearchParams({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token: target.subjectToken, subject_token_type: ACCESS_TOKEN_TYPE });
  if (dialect.requestedTokenType) body.set('requested_token_type', dialect.requestedTokenType);
  if (dialect.targetParameter !== 'resource') body.set('audience', target.audience);
  if (dialect.targetParameter !== 'audience') body.set('resource', target.audience);
  // RFC 8693 §2.1: scope is optional; an empty one is left out rather than sent blank.
  if (target.scopes.length > 0) body.set('scope', target.scopes.join(' '));
  if (target.actorToken) {
    body.set('actor_token', target.actorToken);
    body.set('actor_token_type', ACCESS_TOKEN_TYPE);
  }
  return body;
}

/**
 * The form body of the router's own client-credentials request for a subgraph's audience (no
 * scope: it stands for no user): the target named as exchanges name it, or, with Entra ID, the
 * application's `<audience>/.default`, the only scope client credentials take there.
 */
export function clientCredentialsBody(dialect: ExchangeDialect, audience: string): URLSearchParams {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (dialect.grant === 'entra-obo') {
    body.set('scope', `${audience.replace(/\/$/, '')}/.default`);
    return body;
  }
  if (dialect.targetParameter !== 'resource') body.set('audience', audience);
  if (dialect.targetParameter !== 'audience') body.set('resource', audience);
  return body;
}
