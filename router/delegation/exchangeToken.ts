import type { ClientAuthentication } from './clientAuthentication.js';
import { defaultTransport, type TokenTransport, type TransportResponse } from './tokenTransport.js';
import { defaultDialect, exchangeBody, type ExchangeDialect, type ExchangeTarget } from './exchangeDialect.js';
import { endAfter, type OpenSpan } from '../observability/tracedSpan.js';
import { delegationDenied, delegationUnavailable } from './delegationRefusals.js';

export interface ExchangeRequest extends ExchangeTarget {
  subgraph: string;
  /** Where the token request's HTTP client span opens. */
  span?: OpenSpan;
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
  /** The router's client id there: the actor of the chains it records when a token states none. */
  clientId?: string;
  authenticate: ClientAuthentication;
  timeoutMs: number;
  /** How the request travels; default defaultTransport (mutual TLS: mutualTlsTransport). */
  transport?: TokenTransport;
  /** How the issuer wants the request spelled; default RFC 8693 as the embedded server takes it. */
  dialect?: ExchangeDialect;
}

/**
 * One exchange at the token endpoint (RFC 8693, or Entra's on-behalf-of grant). An OAuth refusal is DELEGATION_DENIED;
 * anything that says "try later" (timeout, network, 429, 5xx, garbage) is
 * DELEGATION_UNAVAILABLE. No message carries a token.
 */
export async function exchangeToken(client: ExchangeClient, request: ExchangeRequest): Promise<ExchangeResult> {
  const span = request.span?.openHttpClient('deputy.token_request', 'POST', client.tokenEndpoint, { 'deputy.subgraph': request.subgraph });
  return endAfter(span, () => requestExchange(client, request, span));
}

async function requestExchange(client: ExchangeClient, request: ExchangeRequest, span: OpenSpan | undefined): Promise<ExchangeResult> {
  const body = exchangeBody(client.dialect ?? defaultDialect('rfc9068'), request);
  return postTokenRequest(client, request.subgraph, body, request.scopes, span);
}

/**
 * One token request (`body`: the grant's parameters) at the token endpoint, authenticated as the
 * router, with the errors of exchangeToken; `requestedScopes` stand when the answer names none.
 */
export async function postTokenRequest(client: ExchangeClient, subgraph: string, body: URLSearchParams, requestedScopes: string[], span?: OpenSpan): Promise<ExchangeResult> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  await client.authenticate({ headers, body });
  let response: TransportResponse;
  try {
    response = await (client.transport ?? defaultTransport)(client.tokenEndpoint, headers, body, client.timeoutMs);
  } catch (error) {
    const name = (error as Error).name;
    throw delegationUnavailable(subgraph, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
  }
  span?.responded(response.status);
  // The status first: a 429 or 5xx often has an HTML body.
  if (response.status === 429) throw delegationUnavailable(subgraph, 'rate_limited');
  if (response.status >= 500) throw delegationUnavailable(subgraph, 'server_error');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    throw delegationUnavailable(subgraph, 'bad_response');
  }
  if (!payload || typeof payload !== 'object') throw delegationUnavailable(subgraph, 'bad_response');
  if (response.status < 200 || response.status > 299) {
    const description = typeof payload.error_description === 'string' ? payload.error_description : undefined;
    throw delegationDenied(subgraph, String(payload.error ?? `http_${response.status}`), description);
  }
  // Entra's v1 endpoint and some gateways send expires_in as a numeric string.
  const expiresIn = typeof payload.expires_in === 'string' && /^\d+$/.test(payload.expires_in) ? Number(payload.expires_in) : payload.expires_in;
  if (typeof payload.access_token !== 'string' || typeof expiresIn !== 'number') {
    throw delegationUnavailable(subgraph, 'bad_response');
  }
  const granted = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : requestedScopes;
  return { token: payload.access_token, expiresIn, scopes: granted };
}
