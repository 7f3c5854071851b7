// Okta custom authorization server, On-Behalf-Of Token Exchange, as documented in the Okta
// developer guide "Set up OAuth 2.0 On-Behalf-Of Token Exchange" (developer.okta.com,
// guides/set-up-token-exchange), the help page "Add trusted servers", and "OAuth 2.0 and OpenID
// Connect API" (/v1/token):
// - issuer https://<org>/oauth2/<authorization server id>, token endpoint <issuer>/v1/token,
//   keys at <issuer>/v1/keys;
// - access tokens: header with kid and alg (no typ); claims ver 1, jti "AT....", cid (the
//   client), uid (the user's id), scp (an array), sub (the user's login), aud (the server's
//   audience);
// - request: the service app authenticates (client_secret_basic here), grant_type
//   token-exchange, subject_token_type access token, subject_token, scope (required) and
//   audience (required: the target authorization server's audience);
// - answers: token_type, expires_in, access_token, scope, issued_token_type; refusals as OAuth
//   errors (invalid_request, invalid_grant, invalid_scope, access_denied "Policy evaluation
//   failed for this request, please check the policy configurations.").
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN, TOKEN_EXCHANGE, type VendorDialect } from './fakeIdentityProvider.js';

const server = '/oauth2/default';
const refuse = (error: string, description: string, status = 400) => ({ status, body: { error, error_description: description } });

/** Okta whose access policy lets the router's client exchange for these audiences and their scopes. */
export function okta(policy: Record<string, string[]>): VendorDialect {
  return {
    name: 'okta',
    paths: { issuer: server, token: `${server}/v1/token`, jwks: `${server}/v1/keys` },
    userToken: (tools, user, clientId, audience, scopes) =>
      tools.sign({ ver: 1, jti: `AT.${randomUUID()}`, iss: tools.issuer, aud: audience, cid: clientId, uid: `00u${user}`, scp: ['openid', ...scopes], auth_time: Math.floor(Date.now() / 1000), sub: `${user}@example.com` }, {}, 3600),
    async exchange(tools, { params, client }) {
      if (!client) return refuse('invalid_client', 'Client authentication failed. Either the client or the client credentials are invalid.', 401);
      if (params.grant_type !== TOKEN_EXCHANGE) return refuse('unsupported_grant_type', `The authorization grant type is not supported by the authorization server. Configured grant types: [authorization_code, ${TOKEN_EXCHANGE}].`);
      if (params.subject_token_type !== ACCESS_TOKEN) return refuse('invalid_request', "The 'subject_token_type' parameter is missing or invalid.");
      if (!params.audience) return refuse('invalid_request', "The 'audience' parameter is required.");
      if (!params.scope) return refuse('invalid_scope', "The 'scope' parameter is required.");
      const subject = await tools.verifyOwn(params.subject_token ?? '');
      if (!subject) return refuse('invalid_grant', "The 'subject_token' is invalid.");
      const allowed = policy[params.audience];
      const requested = params.scope.split(' ');
      if (!allowed || requested.some((scope) => !allowed.includes(scope))) return refuse('access_denied', 'Policy evaluation failed for this request, please check the policy configurations.', 403);
      const token = await tools.sign({ ver: 1, jti: `AT.${randomUUID()}`, iss: tools.issuer, aud: params.audience, cid: client.id, uid: subject.uid, scp: requested, sub: subject.sub }, {}, 3600);
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: token, scope: params.scope, issued_token_type: ACCESS_TOKEN } };
    },
  };
}
