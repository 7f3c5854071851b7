import type { ClientAuthentication } from './clientAuthentication.js';
import { delegationDenied, delegationUnavailable } from './delegationRefusals.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface ExchangeRequest {
  subgraph: string;
  subjectToken: string;
  /** The service the router acts for (RFC 8693 actor_token), when brokering. */
  actorToken?: string;
  audience: string;
  scopes: string[];
}

export interface ExchangeResult {
  token: string;
  /** Seconds the issued token lives, from the response. */
  expiresIn: number;
  /** The scopes actually granted (the response's `scope`). */
  scopes: string[];
}

export interface ExchangeClient {
  tokenEndpoint: string;
  authenticate: ClientAuthentication;
  timeoutMs: number;
}

/**
 * One RFC 8693 exchange at the token endpoint. An OAuth refusal is DELEGATION_DENIED;
 * anything that says "try later" (timeout, network, 429, 5xx, garbage) is
 * DELEGATION_UNAVAILABLE. No message carries a token.
 */
export async function exchangeToken(client: ExchangeClient, request: ExchangeRequest): Promise<ExchangeResult> {
  const body = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE,
    subject_token: request.subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    requested_token_type: ACCESS_TOKEN_TYPE,
    audience: request.audience,
    scope: request.scopes.join(' '),
  });
  if (request.actorToken) {
    body.set('actor_token', request.actorToken);
    body.set('actor_token_type', ACCESS_TOKEN_TYPE);
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  await client.authenticate({ headers, body });
  let response: Response;
  let text: string;
  try {
    response = await fetch(client.tokenEndpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(client.timeoutMs) });
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    throw delegationUnavailable(request.subgraph, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
  }
  // The status first: a 429 or 5xx often has an HTML body.
  if (response.status === 429) throw delegationUnavailable(request.subgraph, 'rate_limited');
  if (response.status >= 500) throw delegationUnavailable(request.subgraph, 'server_error');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw delegationUnavailable(request.subgraph, 'bad_response');
  }
  if (!payload || typeof payload !== 'object') throw delegationUnavailable(request.subgraph, 'bad_response');
  if (!response.ok) {
    const description = typeof payload.error_description === 'string' ? payload.error_description : undefined;
    throw delegationDenied(request.subgraph, String(payload.error ?? `http_${response.status}`), description);
  }
  if (typeof payload.access_token !== 'string' || typeof payload.expires_in !== 'number') {
    throw delegationUnavailable(request.subgraph, 'bad_response');
  }
  const granted = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : request.scopes;
  return { token: payload.access_token, expiresIn: payload.expires_in, scopes: granted };
}
