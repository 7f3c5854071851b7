import { escapeHtml } from './escapeHtml.js';
import { pageShell } from './pageShell.js';

/** The demo login form; `error` is shown above it after a failed attempt. */
export function loginPage(uid: string, clientId: string, error?: string): string {
  return pageShell({
    title: 'Sign in',
    intro: `<p>to <strong>${escapeHtml(clientId)}</strong> (Deputy demo: the password of each demo user is the user name)</p>`,
    error,
    form: `<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>User <input name="username" required autofocus></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button>
</form>`,
  });
}
