import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { loginPage } from './loginPage.js';
import { consentPage, type ScopeOffer } from './consentPage.js';
import { grantChosenScopes, readScopeChoice } from './scopeChoice.js';
import { requestedScopes } from './firstPartyGrant.js';

const MAX_FORM_BYTES = 16 * 1024;
/** /interaction/:uid (the page of the interaction's prompt) and the forms' targets /interaction/:uid/login and /interaction/:uid/consent. */
const ROUTE = /^\/interaction\/([^/]+)(?:\/(login|consent))?$/;

/** Who may sign in, and what each may delegate (live: a change of entitlements holds for the next page). */
export interface InteractionDeps {
  users: Set<string>;
  entitlements: Record<string, string[]>;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/** Demo password rule: a user's password is their user name (documented in README.md). */
function passwordMatches(username: string, password: string): boolean {
  const expected = Buffer.from(username);
  const given = Buffer.from(password);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

/** The scope choice of a `prompt=consent` interaction: the requested scopes, sorted by the signed-in user's entitlements. */
function offerOf(details: Interaction, deps: InteractionDeps): ScopeOffer & { oidc: string[] } {
  const accountId = details.session?.accountId;
  if (!accountId) throw new Error('a scope choice without a signed-in user');
  const { oidc, entitled, unavailable } = requestedScopes(details.params.scope, deps.entitlements, accountId);
  return { uid: details.uid, clientId: String(details.params.client_id ?? ''), user: accountId, offered: entitled, unavailable, oidc };
}

async function submitLogin(provider: Provider, deps: InteractionDeps, details: Interaction, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  if (!deps.users.has(username) || !passwordMatches(username, password)) {
    sendHtml(res, 401, loginPage(details.uid, String(details.params.client_id ?? ''), 'Unknown user or wrong password.'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
}

/**
 * Allow: the session's grant for the client holds exactly the ticked scopes (the rest of what was
 * asked recorded as refused), which firstPartyGrant.ts then takes as it is. Cancel: access_denied
 * to the client.
 */
async function submitScopeChoice(provider: Provider, deps: InteractionDeps, details: Interaction, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const offer = offerOf(details, deps);
  const choice = readScopeChoice(await readForm(req), offer.offered);
  if (choice.decision === 'refused') {
    sendHtml(res, 400, consentPage({ ...offer, checked: choice.checked }, choice.reason));
    return;
  }
  if (choice.decision === 'cancel') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled at the scope choice' }, { mergeWithLastSubmission: false });
    return;
  }
  const grantId = await grantChosenScopes(provider, { ...offer, accountId: offer.user, grantId: details.grantId, resource: details.params.resource, scopes: choice.scopes });
  // Merged with the login just made, so the authorization resumes signed in and consented.
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * Serves /interaction/:uid (the login form, or the scope choice when the client sent
 * `prompt=consent`) and its forms' submissions. A form is bound to its interaction: the uid in
 * the path it posts to must be the one oidc-provider's interaction cookie names, and it must be
 * the step the interaction is at; anything else throws (the caller answers 400).
 */
export async function handleInteraction(provider: Provider, deps: InteractionDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const [, uid, step] = ROUTE.exec((req.url ?? '').split('?')[0]) ?? [];
  if (uid !== details.uid) throw new Error('the form belongs to another interaction');
  const prompt = details.prompt.name;
  if (req.method !== 'POST') {
    sendHtml(res, 200, prompt === 'consent' ? consentPage(offerOf(details, deps)) : loginPage(details.uid, String(details.params.client_id ?? '')));
    return;
  }
  if (step !== prompt) throw new Error(`a ${step ?? 'bare'} submission to a ${prompt} interaction`);
  if (step === 'consent') await submitScopeChoice(provider, deps, details, req, res);
  else await submitLogin(provider, deps, details, req, res);
}
