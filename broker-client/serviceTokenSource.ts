import { BrokerCallError } from './BrokerCallError.js';
import { postJson, type Fetch } from './postJson.js';

/** This service's client at the authorization server. */
export interface ServiceClient {
  clientId: string;
  clientSecret: string;
  /** The authorization server's token endpoint. */
  tokenEndpoint: string;
}

/** HTTP Basic client authentication (RFC 6749 §2.3.1: each part form-encoded first). */
export function basicAuthorization({ clientId, clientSecret }: ServiceClient): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

/** POSTs a grant to the token endpoint as this service; a refusal is `code` with the OAuth error. */
export async function requestToken(fetchFn: Fetch, client: ServiceClient, params: Record<string, string>, code: string): Promise<{ access_token: string; expires_in?: number }> {
  const answer = await postJson(
    fetchFn,
    client.tokenEndpoint,
    { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(client) }, body: new URLSearchParams(params).toString(), timeoutMs: 5000 },
    code,
  );
  const body = answer.body as { access_token?: unknown; expires_in?: number; error?: string };
  if (answer.status !== 200 || typeof body.access_token !== 'string') {
    throw new BrokerCallError(code, `the authorization server refused ${client.clientId}: ${body.error ?? answer.status}`, { status: answer.status });
  }
  return { access_token: body.access_token, expires_in: body.expires_in };
}

/**
 * This service's own client-credentials token for the router (`resource`), fetched once and
 * reused until 30 s before it expires: the broker authenticates the caller with it.
 */
export function serviceTokenSource(fetchFn: Fetch, client: ServiceClient, resource: string): () => Promise<string> {
  let cached: { value: string; renewAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.value;
    const issued = await requestToken(fetchFn, client, { grant_type: 'client_credentials', resource }, 'SERVICE_UNAUTHENTICATED');
    cached = { value: issued.access_token, renewAt: Date.now() + Math.max(0, (issued.expires_in ?? 60) - 30) * 1000 };
    return cached.value;
  };
}
