import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from './cookieJar.js';

export interface UserTokenRequest {
  /** The authorization server's issuer URL, e.g. http://127.0.0.1:4010. */
  issuer: string;
  username: string;
  password: string;
  /** Space-separated scopes; the router's resource caps them. */
  scope: string;
  clientId?: string;
  redirectUri: string;
  resource?: string;
  /** The browser's cookies, to keep the login session after the flow (e.g. to log out); a fresh jar by default. */
  jar?: CookieJar;
}

/** Thrown when the flow fails; the message says which step, never a token. */
export class TokenFlowError extends Error {
  readonly code = 'TOKEN_FLOW_FAILED';
}

const base64url = (buffer: Buffer) => buffer.toString('base64url');

/**
 * Obtains a user access token through the standard authorization code + PKCE flow, driving
 * the authorization server's login form like a browser would. No token is signed here.
 */
export async function obtainUserToken(request: UserTokenRequest): Promise<{ accessToken: string; expiresIn: number; scope: string }> {
  const { discovery, jar } = { discovery: await discover(request.issuer), jar: request.jar ?? new CookieJar() };
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: request.clientId ?? 'web-app',
    response_type: 'code',
    redirect_uri: request.redirectUri,
    scope: request.scope,
    state,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    resource: request.resource ?? 'urn:deputy:router',
  }).toString();

  // Authorization request -> login interaction.
  let location = await follow(authorize.toString(), jar);
  const form = new URLSearchParams({ username: request.username, password: request.password });
  const login = await fetch(new URL(`${new URL(location).pathname}/login`, request.issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: form,
  });
  jar.store(login);
  if (login.status === 401) throw new TokenFlowError(`login refused for user '${request.username}'`);
  location = login.headers.get('location') ?? '';
  if (!location) throw new TokenFlowError(`login form answered ${login.status} without a redirect`);

  // Resume the authorization -> redirect to the client with the code.
  location = await follow(new URL(location, request.issuer).toString(), jar, request.redirectUri);
  const callback = new URL(location);
  if (callback.searchParams.get('error')) {
    throw new TokenFlowError(`authorization failed: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description') ?? ''}`);
  }
  if (callback.searchParams.get('state') !== state) throw new TokenFlowError('state mismatch in the authorization response');
  const code = callback.searchParams.get('code');
  if (!code) throw new TokenFlowError('no authorization code in the redirect');

  const tokenResponse = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: request.clientId ?? 'web-app',
      code,
      redirect_uri: request.redirectUri,
      code_verifier: verifier,
      resource: request.resource ?? 'urn:deputy:router',
    }),
  });
  const body = (await tokenResponse.json()) as Record<string, unknown>;
  if (!tokenResponse.ok) throw new TokenFlowError(`token endpoint refused the code: ${body.error} ${body.error_description ?? ''}`);
  return { accessToken: String(body.access_token), expiresIn: Number(body.expires_in), scope: String(body.scope ?? '') };
}

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new TokenFlowError(`discovery at ${issuer} answered ${response.status}`);
  return (await response.json()) as { authorization_endpoint: string; token_endpoint: string };
}

/** Follows redirects by hand (to keep cookies) until a login page or the client's redirect URI. */
async function follow(url: string, jar: CookieJar, stopAt?: string): Promise<string> {
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    if (stopAt && current.startsWith(stopAt)) return current;
    const response = await fetch(current, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const next = response.headers.get('location');
    if (!next) {
      if (response.ok && !stopAt) return current;
      throw new TokenFlowError(`unexpected ${response.status} from ${new URL(current).pathname}`);
    }
    current = new URL(next, current).toString();
  }
  throw new TokenFlowError('too many redirects');
}
