import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from '../../scripts/token/cookieJar.js';
import { claimsOf } from './decode.js';

// The authorization code + PKCE flow driven by hand like a browser, to stop at the scope choice
// (prompt=consent) and submit its form as given, forged forms included.

const REDIRECT_URI = 'http://127.0.0.1:4000/callback';

/** A page of the authorization server the flow stopped at. */
export interface FlowPage {
  url: string;
  status: number;
  html: string;
}

/** Where a redirect to the client ended: its code redeemed, or its error. */
export interface FlowOutcome {
  error?: string;
  errorDescription?: string;
  state?: string;
  /** The access token's `scope` claim, split. */
  tokenScopes?: string[];
  /** The token response's `scope`. */
  responseScope?: string;
}

export interface ScopeChoiceFlow {
  jar: CookieJar;
  /** The page after the password (the scope choice), or undefined when the flow went straight back to the client. */
  page?: FlowPage;
  /** The interaction uid in the page's address. */
  uid?: string;
  /** Where the flow ended when there was no scope choice. */
  outcome?: FlowOutcome;
  /** POSTs a form to `path` (by default this interaction's /consent) with this flow's cookies. */
  post(form: URLSearchParams, path?: string): Promise<Response>;
  /** Follows a redirect from the scope choice back to the client and redeems the code. */
  finish(response: Response): Promise<FlowOutcome>;
}

/** The checkbox values the scope choice offers, and which are ticked. */
export function offeredOn(html: string): { scope: string; checked: boolean }[] {
  return [...html.matchAll(/<input type="checkbox" name="scope" value="([^"]*)"( checked)?/g)].map((match) => ({ scope: match[1], checked: Boolean(match[2]) }));
}

/** Starts a login as `user` asking for `scope` with `prompt` (`login consent` by default), signs in with the demo password and stops at the next page. */
export async function startScopeChoice(issuer: string, options: { user: string; scope: string; prompt?: string; jar?: CookieJar }): Promise<ScopeChoiceFlow> {
  // Another flow's jar: the same login session at the authorization server.
  const jar = options.jar ?? new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: 'web-app',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: options.scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: 'urn:deputy:router',
    prompt: options.prompt ?? 'login consent',
  }).toString();
  const send = async (url: string, form?: URLSearchParams) => {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form,
    });
    jar.store(response);
    return response;
  };
  /** Follows redirects until a page of the server, or the client's redirect URI. */
  const follow = async (start: Response, from: string): Promise<{ page?: FlowPage; callback?: URL }> => {
    let response = start;
    let url = from;
    for (let hop = 0; hop < 10; hop++) {
      const next = response.headers.get('location');
      if (!next) return { page: { url, status: response.status, html: await response.text() } };
      url = new URL(next, url).toString();
      if (url.startsWith(REDIRECT_URI)) return { callback: new URL(url) };
      response = await send(url);
    }
    throw new Error('too many redirects');
  };
  const redeem = async (callback: URL): Promise<FlowOutcome> => {
    const error = callback.searchParams.get('error') ?? undefined;
    if (error) return { error, errorDescription: callback.searchParams.get('error_description') ?? undefined, state: callback.searchParams.get('state') ?? undefined };
    const response = await fetch(new URL('/token', issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'web-app', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI, code_verifier: verifier, resource: 'urn:deputy:router' }),
    });
    const body = (await response.json()) as { access_token?: string; scope?: string; error?: string };
    if (!body.access_token) return { error: body.error };
    const scope = String(claimsOf(body.access_token).scope ?? '');
    return { state: callback.searchParams.get('state') ?? undefined, tokenScopes: scope.split(' ').filter(Boolean), responseScope: body.scope };
  };
  const finish = async (response: Response, from: string): Promise<FlowOutcome> => {
    const { callback, page } = await follow(response, from);
    if (!callback) throw new Error(`the flow stopped at ${page?.url} (HTTP ${page?.status})`);
    return redeem(callback);
  };

  const login = await follow(await send(authorize.toString()), authorize.toString());
  if (!login.page) throw new Error('no login page');
  const loginUrl = login.page.url;
  const signedIn = await send(`${loginUrl}/login`, new URLSearchParams({ username: options.user, password: options.user }));
  const after = await follow(signedIn, `${loginUrl}/login`);
  const uid = after.page ? new URL(after.page.url).pathname.split('/')[2] : undefined;
  return {
    jar,
    page: after.page,
    uid,
    outcome: after.callback ? await redeem(after.callback) : undefined,
    post: (form, path = `/interaction/${uid}/consent`) => send(new URL(path, issuer).toString(), form),
    finish: (response) => finish(response, new URL(`/interaction/${uid}/consent`, issuer).toString()),
  };
}

/** A scope choice form: `decision` and one `scope` per ticked box. */
export function choiceForm(decision: string, scopes: string[] = []): URLSearchParams {
  const form = new URLSearchParams({ decision });
  for (const scope of scopes) form.append('scope', scope);
  return form;
}
