// Keycloak 26.2+ "standard token exchange" (token exchange v2), as documented in the Keycloak
// guide "Configuring and using token exchange" (keycloak.org, securing-apps/token-exchange) and
// the Red Hat build of Keycloak 26.2 "Securing applications" guide, chapter 12:
// - endpoint: <realm>/protocol/openid-connect/token; keys at <realm>/protocol/openid-connect/certs;
// - access tokens: header typ "JWT"; claims azp (the client), aud (an array with audience mappers),
//   scope (a string), typ "Bearer", jti; exchanged tokens carry no act claim;
// - request: a confidential client (client_secret_basic or _post), grant_type token-exchange,
//   subject_token and subject_token_type (access token, required), audience (a client id,
//   repeatable), optional scope and requested_token_type (access token only by default);
// - refusals: the requesting client must be in the subject token's audience ("Client is not
//   within the token audience"), the audience must be a known client ("Audience not found").
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN, TOKEN_EXCHANGE, type VendorDialect } from './fakeIdentityProvider.js';

const realm = '/realms/deputy';
const refuse = (error: string, description: string, status = 400) => ({ status, body: { error, error_description: description } });

/** Keycloak with the given clients known as exchange audiences. */
export function keycloak(audiences: string[]): VendorDialect {
  return {
    name: 'keycloak',
    paths: { issuer: realm, token: `${realm}/protocol/openid-connect/token`, jwks: `${realm}/protocol/openid-connect/certs` },
    userToken: (tools, user, clientId, audience, scopes) =>
      tools.sign({ jti: randomUUID(), iss: tools.issuer, aud: [audience, 'account'], sub: `kc-${user}`, typ: 'Bearer', azp: clientId, sid: randomUUID(), scope: ['openid', 'profile', ...scopes].join(' '), preferred_username: user }, { typ: 'JWT' }, 300),
    async exchange(tools, { params, client }) {
      if (!client) return refuse('unauthorized_client', 'Invalid client or Invalid client credentials', 401);
      if (params.grant_type !== TOKEN_EXCHANGE) return refuse('unsupported_grant_type', 'Unsupported grant_type');
      if (!params.subject_token_type) return refuse('invalid_request', 'Parameter \'subject_token_type\' is required');
      if (params.subject_token_type !== ACCESS_TOKEN) return refuse('invalid_request', 'Parameter \'subject_token\' supports access tokens only');
      if (params.requested_token_type && params.requested_token_type !== ACCESS_TOKEN) return refuse('invalid_request', 'requested_token_type unsupported');
      const subject = await tools.verifyOwn(params.subject_token ?? '');
      if (!subject) return refuse('invalid_token', 'Invalid token');
      const subjectAudience = ([] as unknown[]).concat(subject.aud ?? []);
      if (!subjectAudience.includes(client.id)) return refuse('access_denied', 'Client is not within the token audience');
      const audience = params.audience;
      if (!audience || !audiences.includes(audience)) return refuse('invalid_client', 'Audience not found');
      const scope = params.scope ?? '';
      const token = await tools.sign({ jti: randomUUID(), iss: tools.issuer, aud: audience, sub: subject.sub, typ: 'Bearer', azp: client.id, scope }, { typ: 'JWT' }, 300);
      return { status: 200, body: { access_token: token, expires_in: 300, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, session_state: randomUUID(), scope, issued_token_type: ACCESS_TOKEN } };
    },
  };
}
