import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { loginPage } from './loginPage.js';

const MAX_FORM_BYTES = 16 * 1024;

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

/** Serves /interaction/:uid (the login form) and /interaction/:uid/login (its submission). */
export async function handleInteraction(
  provider: Provider,
  users: Set<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const clientId = String(details.params.client_id ?? '');
  const isSubmit = req.method === 'POST' && (req.url ?? '').split('?')[0].endsWith('/login');
  if (!isSubmit) {
    sendHtml(res, 200, loginPage(details.uid, clientId));
    return;
  }
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  if (!users.has(username) || !passwordMatches(username, password)) {
    sendHtml(res, 401, loginPage(details.uid, clientId, 'Unknown user or wrong password.'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
}
