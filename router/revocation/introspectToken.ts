import type { ClientAuthentication } from '../delegation/clientAuthentication.js';
import { defaultTransport, type TokenTransport } from '../delegation/tokenTransport.js';
import { InvalidTokenError } from '../../lib/tokenRejection.js';

/** Where and how the router introspects: the endpoint, its client authentication (the exchange's) and transport. */
export interface IntrospectionClient {
  endpoint: string;
  authenticate: ClientAuthentication;
  transport?: TokenTransport;
  timeoutMs: number;
}

/**
 * Asks the issuer about a token (RFC 7662 §2.1: a form POST of `token` with the hint
 * `access_token`, authenticated as the router) and returns its answer (§2.2). No answer, an
 * error status or a body that is not a JSON object refuses the token (`introspection_unavailable`):
 * the edge fails closed. Nothing here carries the token into an error.
 */
export async function introspectToken(client: IntrospectionClient, token: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
  await client.authenticate({ headers, body });
  let answer: unknown;
  try {
    const response = await (client.transport ?? defaultTransport)(client.endpoint, headers, body, client.timeoutMs);
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    answer = JSON.parse(response.text);
  } catch {
    throw new InvalidTokenError('introspection_unavailable');
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw new InvalidTokenError('introspection_unavailable');
  return answer as Record<string, unknown>;
}
