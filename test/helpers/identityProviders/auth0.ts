// Auth0 On-Behalf-Of Token Exchange, as documented in the Auth0 docs ("On-Behalf-Of Token
// Exchange", Authentication API /oauth/token) and its access token profiles ("Access Token
// Profiles": the RFC 9068 profile):
// - issuer https://<tenant>/ (with its trailing slash), token endpoint /oauth/token, keys at
//   /.well-known/jwks.json;
// - access tokens (RFC 9068 profile): header typ "at+jwt"; claims iss, sub, aud (the API
//   identifier, and /userinfo for OIDC logins), client_id, scope, jti; exchanged tokens carry
//   act with the exchanging client (nested for deeper chains, up to five levels);
// - request: a custom API client authenticating (basic or post), grant_type token-exchange,
//   subject_token_type access token, subject_token, audience (the target API identifier,
//   required), optional scope;
// - refusals: 403 unauthorized_client 'Client is not authorized to access "<api>". You need to
//   create a "client-grant" associated to this API.' when the client has no grant for the API.
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN, TOKEN_EXCHANGE, type VendorDialect } from './fakeIdentityProvider.js';

const refuse = (error: string, description: string, status = 400) => ({ status, body: { error, error_description: description } });

/** Auth0 whose client grants let the router's client exchange for these APIs, with these permissions. */
export function auth0(grants: Record<string, string[]>): VendorDialect {
  return {
    name: 'auth0',
    paths: { issuer: '/', token: '/oauth/token', jwks: '/.well-known/jwks.json' },
    userToken: (tools, user, clientId, audience, scopes) =>
      tools.sign({ iss: tools.issuer, sub: `auth0|${user}`, aud: [audience, `${tools.issuer}userinfo`], client_id: clientId, scope: ['openid', ...scopes].join(' '), jti: randomUUID() }, { typ: 'at+jwt' }, 86400),
    async exchange(tools, { params, client }) {
      if (!client) return refuse('access_denied', 'Unauthorized', 401);
      if (params.grant_type !== TOKEN_EXCHANGE) return refuse('unsupported_grant_type', `Grant type '${params.grant_type}' not allowed for the client.`, 403);
      if (params.subject_token_type !== ACCESS_TOKEN) return refuse('invalid_request', 'Invalid subject_token_type');
      if (!params.audience) return refuse('invalid_request', 'Missing required parameter: audience');
      const subject = await tools.verifyOwn(params.subject_token ?? '');
      if (!subject) return refuse('invalid_grant', 'Invalid subject_token');
      const permissions = grants[params.audience];
      if (!permissions) return refuse('unauthorized_client', `Client is not authorized to access "${params.audience}". You need to create a "client-grant" associated to this API.`, 403);
      const scope = (params.scope ?? '').split(' ').filter((name) => permissions.includes(name)).join(' ');
      const act = subject.act ? { sub: client.id, act: subject.act } : { sub: client.id };
      const token = await tools.sign({ iss: tools.issuer, sub: subject.sub, aud: params.audience, client_id: client.id, scope, jti: randomUUID(), act }, { typ: 'at+jwt' }, 86400);
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 86400, scope, issued_token_type: ACCESS_TOKEN } };
    },
  };
}
