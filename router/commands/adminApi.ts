import { clientSecret } from '../../lib/config/clientSecrets.js';
import { DEFAULT_HOST, portFor } from '../../lib/defaults.js';
import { explainFailure } from '../../lib/http/explainFailure.js';

/** Where the admin API is and who calls it: a client's credentials, or a token from DEPUTY_ADMIN_TOKEN. */
export interface AdminApiOptions {
  router: string;
  issuer: string;
  clientId: string;
  /** The scope to ask for: `schema:publish` for a team, `schema:admin` for the registry admin. */
  scope: string;
  env?: NodeJS.ProcessEnv;
}

/** The defaults of every verb: the router and issuer of `npm start` on this machine, unless the environment or flags say otherwise. */
export function defaultEndpoints(env: NodeJS.ProcessEnv = process.env): { router: string; issuer: string } {
  const host = env.DEPUTY_HOST ?? DEFAULT_HOST;
  return { router: env.DEPUTY_ROUTER_URL ?? `http://${host}:${portFor('router')}`, issuer: env.DEPUTY_ISSUER ?? `http://${host}:${portFor('auth')}` };
}

/** A refusal from the admin API: its HTTP status, code and details. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

async function tokenEndpoint(issuer: string): Promise<string> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`).catch((error: unknown) => {
    throw new Error(explainFailure(error, 'the authorization server', issuer));
  });
  const metadata = (await response.json().catch(() => ({}))) as { token_endpoint?: string };
  if (!response.ok || !metadata.token_endpoint) throw new Error(`${issuer} publishes no token endpoint (HTTP ${response.status})`);
  return metadata.token_endpoint;
}

/** An admin API token: DEPUTY_ADMIN_TOKEN as given, else client credentials for the admin audience. */
async function adminToken(options: AdminApiOptions): Promise<string> {
  const env = options.env ?? process.env;
  if (env.DEPUTY_ADMIN_TOKEN) return env.DEPUTY_ADMIN_TOKEN;
  const secret = clientSecret(options.clientId, env);
  const response = await fetch(await tokenEndpoint(options.issuer), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: options.scope }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`the authorization server refused ${options.clientId}: ${body.error ?? `HTTP ${response.status}`}`);
  return body.access_token;
}

/** Calls one admin API route (GET with a query, or POST with a JSON body); a refusal throws AdminApiError. */
export async function callAdminApi<T>(options: AdminApiOptions, path: string, request: { query?: Record<string, string>; body?: unknown } = {}): Promise<T> {
  const token = await adminToken(options);
  const url = new URL(path, options.router.replace(/\/graphql$/, '/'));
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method: request.body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  }).catch((error: unknown) => {
    throw new Error(explainFailure(error, 'the router', options.router));
  });
  const body = (await response.json().catch(() => ({}))) as T & { errors?: { message: string; extensions?: Record<string, unknown> }[] };
  if (!response.ok) {
    const error = body.errors?.[0];
    throw new AdminApiError(response.status, String(error?.extensions?.code ?? response.status), error?.message ?? `HTTP ${response.status}`, error?.extensions ?? {});
  }
  return body;
}
