import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, type TestAuth } from './startAuth.js';

/** An exchange at the real authorization server: the response's status and body. */
export function exchange(auth: TestAuth, params: Record<string, string>, client?: { id: string; secret: string }) {
  return auth.token({ grant_type: TOKEN_EXCHANGE, subject_token_type: ACCESS_TOKEN_TYPE, ...params }, client);
}

/** The token the router would send a subgraph for this user token (its exchange, as deputy-router). */
export async function routerDelegation(auth: TestAuth, subject: string, audience: string, scope?: string): Promise<string> {
  const response = await exchange(auth, { subject_token: subject, audience, ...(scope ? { scope } : {}) });
  if (response.status !== 200) throw new Error(`exchange for ${audience} refused: ${String(response.body.error)}`);
  return String(response.body.access_token);
}

/** A service's client-credentials token (by default for the router: what it presents to the broker). */
export async function serviceToken(auth: TestAuth, clientId: string, params: Record<string, string> = {}) {
  return auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:router', ...params }, { id: clientId, secret: auth.secret(clientId) });
}

/** Just the access token of serviceToken: what a service presents to the broker as itself. */
export async function serviceAccessToken(auth: TestAuth, clientId: string): Promise<string> {
  return String((await serviceToken(auth, clientId)).body.access_token);
}
