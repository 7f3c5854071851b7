// Microsoft Entra ID, v2.0 endpoint, on-behalf-of flow, as documented on learn.microsoft.com
// ("Microsoft identity platform and OAuth 2.0 On-Behalf-Of flow", "Access token claims
// reference", "Microsoft Entra authentication and authorization error codes"):
// - issuer https://login.microsoftonline.com/<tenant>/v2.0, token endpoint
//   <tenant>/oauth2/v2.0/token, keys at <tenant>/discovery/v2.0/keys;
// - access tokens: header typ "JWT"; claims aud (the application's GUID in v2 tokens), azp (the
//   client), scp (space-separated delegated scopes), roles, oid, tid, uti (no jti), ver "2.0",
//   sub pairwise per application; no act claim;
// - request: grant_type urn:ietf:params:oauth:grant-type:jwt-bearer, client_id with
//   client_secret (or a client assertion), assertion (the token the middle tier received, whose
//   aud must be that middle tier), scope (<app id URI>/.default or named scopes),
//   requested_token_use=on_behalf_of;
// - answers: token_type, scope (full scope names), expires_in, ext_expires_in, access_token;
//   errors carry error, "AADSTS<code>: ..." in error_description, error_codes, timestamp,
//   trace_id, correlation_id; AADSTS65001 (consent_required) when the user or an admin has not
//   consented to the target's scopes.
import { randomUUID } from 'node:crypto';
import { JWT_BEARER, type VendorDialect } from './fakeIdentityProvider.js';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function refuse(error: string, code: number, message: string, status = 400, suberror?: string) {
  const trace = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\..+/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${trace} Correlation ID: ${randomUUID()} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: randomUUID(),
      ...(suberror ? { suberror } : {}),
    },
  };
}

/** An application exposing an API: its GUID and the scopes it exposes. */
export interface EntraApp {
  appId: string;
  scopes: string[];
}

/** Entra with the router's application, the subgraphs' applications (by app id URI) and those consented to. */
export function entra(options: { routerAppId: string; apps: Record<string, EntraApp>; consented: string[] }): VendorDialect {
  const oidOf = (user: string) => `00000000-0000-0000-0000-${Buffer.from(user).toString('hex').padStart(12, '0').slice(-12)}`;
  return {
    name: 'entra',
    paths: { issuer: `/${TENANT}/v2.0`, token: `/${TENANT}/oauth2/v2.0/token`, jwks: `/${TENANT}/discovery/v2.0/keys` },
    userToken: (tools, user, clientId, _audience, scopes) =>
      tools.sign({ aud: options.routerAppId, iss: tools.issuer, azp: clientId, azpacr: '0', name: user, oid: oidOf(user), preferred_username: `${user}@contoso.test`, rh: '0.A', scp: scopes.join(' '), sub: `pairwise-router-${user}`, tid: TENANT, uti: randomUUID().replace(/-/g, ''), ver: '2.0' }, { typ: 'JWT' }, 3600),
    async exchange(tools, { params, client }) {
      if (!client) return refuse('invalid_client', 7000215, 'Invalid client secret provided.', 401);
      if (params.grant_type !== JWT_BEARER) return refuse('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      if (params.requested_token_use !== 'on_behalf_of') return refuse('invalid_request', 900144, "The request body must contain the following parameter: 'requested_token_use'.");
      if (!params.scope) return refuse('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
      const assertion = await tools.verifyOwn(params.assertion ?? '');
      if (!assertion) return refuse('invalid_grant', 50013, 'Assertion failed signature validation.');
      if (assertion.aud !== client.id) return refuse('invalid_grant', 50013, 'Assertion audience claim does not match the required value.');
      const [, resource, scopeName] = /^(.+)\/([^/]+)$/.exec(params.scope) ?? [];
      const app = resource ? options.apps[resource] : undefined;
      if (!app) return refuse('invalid_resource', 500011, `The resource principal named ${resource ?? params.scope} was not found in the tenant named ${TENANT}.`);
      if (!options.consented.includes(resource)) {
        return refuse('invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${client.id}' named 'deputy-router'. Send an interactive authorization request for this user and resource.`, 400, 'consent_required');
      }
      // .default: every scope of that application consented to; a named scope: that one, if the application exposes it.
      if (scopeName !== '.default' && !app.scopes.includes(scopeName)) return refuse('invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${params.scope} is not valid.`);
      const granted = scopeName === '.default' ? app.scopes : [scopeName];
      const token = await tools.sign(
        { aud: app.appId, iss: tools.issuer, azp: client.id, azpacr: '1', oid: assertion.oid, preferred_username: assertion.preferred_username, scp: granted.join(' '), sub: `pairwise-${app.appId}-${String(assertion.oid)}`, tid: TENANT, uti: randomUUID().replace(/-/g, ''), ver: '2.0' },
        { typ: 'JWT' },
        3599,
      );
      return { status: 200, body: { token_type: 'Bearer', scope: granted.map((name) => `${resource}/${name}`).join(' '), expires_in: 3599, ext_expires_in: 3599, access_token: token } };
    },
  };
}
