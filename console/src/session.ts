import type { ConsoleConfig } from './consoleConfig.js';

// Login with authorization code + PKCE (RFC 7636) as a public client. The access token lives
// in sessionStorage (this tab only) and is sent to the router only.

const TOKEN_KEY = 'deputy.token';
const PENDING_KEY = 'deputy.pending';

/** The signed-in user, as far as the console needs to know. */
export interface Session {
  token: string;
  user: string;
  /** What the authorization server granted: what the user ticked at the scope choice, within their entitlements. */
  scopes: string[];
  /** Seconds since the epoch. */
  exp: number;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (length: number) => base64url(crypto.getRandomValues(new Uint8Array(length)));
const redirectUri = () => `${location.origin}/`;

/** fetch, with a failure to connect said in words. */
async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new Error(`Login failed: the authorization server at ${new URL(url).origin} could not be reached.`);
  }
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await call(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The authorization server's discovery answered HTTP ${response.status}`);
  return (await response.json()) as Discovery;
}

function sessionOf(token: string): Session | undefined {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; exp?: number; scope?: string };
    return { token, user: String(claims.sub), scopes: (claims.scope ?? '').split(' ').filter(Boolean), exp: Number(claims.exp) };
  } catch {
    return undefined;
  }
}

/** Scopes of OpenID Connect itself: asked for, never in an access token's `scope`. */
const OIDC_SCOPES = new Set(['openid', 'offline_access']);

/** The API scopes the console asked for at login that the token does not hold (not entitled, or unticked). */
export function scopesNotGranted(session: Session, asked: string): string[] {
  const held = new Set(session.scopes);
  return asked.split(' ').filter((scope) => scope && !OIDC_SCOPES.has(scope) && !held.has(scope));
}

/** The stored session, or undefined; `expired` is true when a stored token has run out. */
export function currentSession(): { session?: Session; expired: boolean } {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const session = token ? sessionOf(token) : undefined;
  if (session && session.exp * 1000 > Date.now()) return { session, expired: false };
  if (token) sessionStorage.removeItem(TOKEN_KEY);
  return { expired: Boolean(token) };
}

/** Sends the browser to the authorization server's login. */
export async function startLogin(config: ConsoleConfig): Promise<void> {
  const discovery = await discover(config.issuer);
  const verifier = random(32);
  const state = random(16);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: config.scope,
    resource: config.resource,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // Always the login form, even with a live session at the authorization server: after a
    // logout, or to switch users, "Log in" must not silently sign the last user in again. Then
    // the scope choice: the user ticks which of the scopes asked for (those they are entitled
    // to) this session gets.
    prompt: 'login consent',
  }).toString();
  location.assign(url.toString());
}

/**
 * Completes a login when the page is the authorization server's redirect (?code&state):
 * checks the state, redeems the code with the PKCE verifier, stores the token.
 */
export async function finishLogin(config: ConsoleConfig): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return undefined;
  history.replaceState(null, '', '/');
  if (params.has('error')) throw new Error(`Login failed: ${params.get('error')} ${params.get('error_description') ?? ''}`.trim());
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending.verifier || pending.state !== params.get('state')) throw new Error('Login failed: the answer does not match this login attempt; log in again.');
  const discovery = await discover(config.issuer);
  const response = await call(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: params.get('code')!,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
      resource: config.resource,
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`Login failed: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim());
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
  return sessionOf(body.access_token);
}

/** Forgets the token (this tab's session ends; the authorization server's login session stays). */
export function logout(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
