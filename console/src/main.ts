import './style.css';
import { loadConsoleConfig, type ConsoleConfig } from './consoleConfig.js';
import { currentSession, finishLogin, logout, scopesNotGranted, startLogin } from './session.js';
import { createEditor } from './editors.js';
import { InputError, runQuery, type QueryResult } from './runQuery.js';
import { byId, h } from './dom.js';
import { DEFAULT_QUERY } from './defaultQuery.js';
import { renderErrors } from './errorList.js';
import { showTrace } from './trace/traceView.js';
import { traceToShow } from './trace/traceToShow.js';
import { createDocsPane } from './docs/docsPane.js';
import { setUpQueryHelp, type QueryHelp } from './queryHelp.js';

const banner = byId('banner');
const loginButton = byId<HTMLButtonElement>('login');
const logoutButton = byId<HTMLButtonElement>('logout');
const runButton = byId<HTMLButtonElement>('run');

/** Shows a message above the page; `relogin` adds the way back in. */
function say(message: string, kind: 'error' | 'info' = 'error', relogin = false): void {
  banner.hidden = false;
  banner.className = kind;
  banner.replaceChildren(message, relogin ? h('span', {}, ' ', h('button', { id: 'relogin', 'data-testid': 'relogin' }, 'Log in again')) : '');
  if (relogin) byId('relogin').addEventListener('click', () => loginButton.click());
}

let expiryTimer: ReturnType<typeof setTimeout> | undefined;
/** The scopes the console asks for at login (its settings' `scope`). */
let askedScopes = '';
/** Autocomplete, docs, history and curl; told of every session change. */
let help: QueryHelp | undefined;

/** Header and buttons for the signed-in (or not) state; asks to log in again when the token runs out. */
function showSession(): void {
  const { session, expired } = currentSession();
  clearTimeout(expiryTimer);
  // setTimeout holds at most 2^31-1 ms; a longer token is checked again then.
  if (session) expiryTimer = setTimeout(showSession, Math.min(session.exp * 1000 - Date.now() + 50, 2 ** 31 - 1));
  const who = byId('who');
  who.textContent = session ? `Signed in as ${session.user}` : 'Not signed in';
  who.title = session ? `Token valid until ${new Date(session.exp * 1000).toLocaleTimeString()}` : '';
  const granted = byId('granted');
  granted.textContent = session ? `granted: ${session.scopes.join(' ') || 'no scope'}` : '';
  granted.hidden = !session;
  const notGranted = byId('not-granted');
  const missing = session ? scopesNotGranted(session, askedScopes) : [];
  notGranted.textContent = missing.length ? `not granted: ${missing.join(' ')}` : '';
  notGranted.hidden = !missing.length;
  loginButton.hidden = Boolean(session);
  logoutButton.hidden = !session;
  runButton.disabled = !session;
  void help?.sessionChanged(session?.token);
  if (expired) say('Your session has expired. Log in again to run queries.', 'error', true);
}

function showResult(result: QueryResult): void {
  byId('errors').replaceChildren(...renderErrors(result.body.errors ?? []));
  byId('response').textContent = JSON.stringify({ data: result.body.data, errors: result.body.errors }, null, 2);
  // e.g. the trace withheld from a caller without trace:read
  const warnings = result.body.extensions?.warnings ?? [];
  if (warnings.length) say(warnings.map((warning) => warning.message).join(' '), 'info');
  showTrace(traceToShow(result.body));
}

async function start(config: ConsoleConfig): Promise<void> {
  askedScopes = config.scope;
  const run = () => runButton.click();
  const docs = createDocsPane(byId('docs'), byId<HTMLButtonElement>('docs-toggle'));
  const query = createEditor(byId('query-editor'), 'graphql', DEFAULT_QUERY, run, docs.open);
  const variables = createEditor(byId('variables-editor'), 'json', '{}', run);
  const headers = createEditor(byId('headers-editor'), 'json', '{}', run);
  help = setUpQueryHelp({ query, variables, headers, trace: byId<HTMLInputElement>('trace') }, docs);

  loginButton.addEventListener('click', () => startLogin(config).catch((error: Error) => say(error.message)));
  logoutButton.addEventListener('click', () => {
    logout();
    showTrace(undefined);
    byId('response').textContent = '';
    byId('errors').replaceChildren();
    showSession();
    say('You are logged out.', 'info');
  });
  runButton.addEventListener('click', async () => {
    const { session, expired } = currentSession();
    if (!session) {
      showSession();
      if (!expired) say('Log in to run queries.', 'info');
      return;
    }
    banner.hidden = true;
    runButton.disabled = true;
    try {
      const sent = { query: query.text(), variables: variables.text(), headers: headers.text(), trace: byId<HTMLInputElement>('trace').checked };
      const result = await runQuery({ token: session.token, ...sent });
      if (result.status === 401) {
        logout();
        showSession();
        say('The router no longer accepts your session. Log in again.', 'error', true);
      } else help?.ran(sent);
      showResult(result);
    } catch (error) {
      say(error instanceof InputError ? error.message : `The router could not be reached: ${(error as Error).message}`);
    } finally {
      runButton.disabled = !currentSession().session;
    }
  });

  try {
    await finishLogin(config);
  } catch (error) {
    say((error as Error).message);
  }
  showSession();
}

loadConsoleConfig()
  .then(start)
  .catch((error: Error) => say(error.message));
