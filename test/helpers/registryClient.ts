import type { TestStack } from './startStack.js';

/** An admin API answer: status and JSON body. */
export interface AdminAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any> & { errors?: { message: string; extensions: Record<string, any> }[] };
}

/** A client-credentials token for the router's admin API: a team (`<subgraph>-team`, schema:publish) or the registry admin (schema:admin). */
export async function adminApiToken(stack: Pick<TestStack, 'auth'>, client: string): Promise<string> {
  const scope = client === 'registry-admin' ? 'schema:admin' : 'schema:publish';
  const answer = await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope }, { id: client, secret: stack.auth.secret(client) });
  return String(answer.body.access_token);
}

/** Calls one admin API route of the router at `routerUrl` (its /graphql URL): GET without a body, POST with one. */
export async function adminCall(routerUrl: string, path: string, token: string, body?: unknown): Promise<AdminAnswer> {
  const response = await fetch(routerUrl.replace(/\/graphql$/, path), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as AdminAnswer['body'] };
}

/** The `extensions.code` of a refused admin call. */
export const codeOf = (answer: AdminAnswer): string | undefined => answer.body.errors?.[0]?.extensions.code;
