import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type StackOptions, type TestStack } from './startStack.js';
import { startAuth, type TestAuth } from './startAuth.js';
import { freePort } from './freePort.js';
import { webAppClient } from '../../auth-server/demoIdentities.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';
import { ensureConsoleBuilt } from '../console/ensureConsoleBuilt.js';
import { PortInUseError } from '../../lib/http/listen.js';

// The web console in Debian's Chromium, driven by playwright-core, against the real
// authorization server and router on loopback: what every browser test of the console starts.

const CHROMIUM = '/usr/bin/chromium';
/** Each page wait (navigation, click, response) gives up after this, not Playwright's 30 s. */
export const PAGE_WAIT_MS = 10_000;

/** The router's answer as the page received it. */
export interface ConsoleAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { delegationTrace?: DelegationTrace } & Record<string, unknown>;
}

export interface ConsoleBrowser {
  auth: TestAuth;
  stack: TestStack;
  browser: Browser;
  page: Page;
  /** The router's (and so the console's) origin. */
  origin: string;
  /** Every origin the page sent a request to. */
  requestedOrigins: Set<string>;
  /** Uncaught exceptions and Content-Security-Policy violations on the page. */
  pageProblems: string[];
  text(testId: string): Promise<string | null>;
  /** Replaces the text of a CodeMirror editor (`query-editor`, `variables-editor`, `headers-editor`). */
  write(editor: string, value: string): Promise<void>;
  setQuery(query: string): Promise<void>;
  /** Clicks Run; resolves with the router's answer as the page received it. */
  run(): Promise<ConsoleAnswer>;
  /** Puts a token in the console's session storage and reloads. */
  storeToken(token: string): Promise<void>;
  /**
   * Fills the authorization server's login form as `user` (password = user name); on the scope
   * choice that follows (the console sends `prompt=consent`), keeps ticked only `scopes` (by
   * default every scope offered) and allows; then waits for the way back to the console.
   */
  logInThroughForm(user: string, scopes?: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** On the authorization server's scope choice, unticks every scope not in `keep` (none by default) and allows. */
async function chooseScopes(page: Page, keep?: string[]): Promise<void> {
  const boxes = await page.locator('input[name=scope]').all();
  const offered = await Promise.all(boxes.map((box) => box.getAttribute('value')));
  const missing = (keep ?? []).filter((scope) => !offered.includes(scope));
  if (missing.length) throw new Error(`the scope choice does not offer ${missing.join(' ')} (it offers ${offered.join(' ')})`);
  for (const [index, box] of boxes.entries()) {
    if (keep && !keep.includes(offered[index] ?? '')) await box.uncheck();
  }
  await page.getByTestId('scope-allow').click();
}

/** How many ports are tried: a free port can be taken by another test file before the router binds it. */
const PORT_ATTEMPTS = 5;

/**
 * The authorization server and the demo stack on a port chosen beforehand (the web-app client may
 * redirect only to the console's own origin, so the auth server must know it first); when another
 * process took that port in between, both start again on another.
 */
async function startOnFreePort(stackOptions: Partial<StackOptions> = {}): Promise<{ auth: TestAuth; stack: TestStack; origin: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const auth = await startAuth((defaults) => ({ clients: defaults.clients.map((client) => (client.clientId === 'web-app' ? webAppClient([`${origin}/`]) : client)) }));
    try {
      const stack = await startStack({
        auth,
        dataset: 'demo',
        ...stackOptions,
        routerConfig: (config) => {
          const configured = stackOptions.routerConfig ? stackOptions.routerConfig(config) : config;
          return { ...configured, listen: { ...configured.listen, port } };
        },
      });
      return { auth, stack, origin };
    } catch (error) {
      await auth.stop();
      if (!(error instanceof PortInUseError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/**
 * Starts the authorization server, the demo stack on a fixed free port (the web-app client may
 * redirect only to the console's own origin) and Chromium with one page `viewport` wide.
 */
export async function startConsoleBrowser(options: { viewport?: { width: number; height: number }; stack?: Partial<StackOptions> } = {}): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  ensureConsoleBuilt();
  const { auth, stack, origin } = await startOnFreePort(options.stack);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 1000 } });
  page.setDefaultTimeout(PAGE_WAIT_MS);
  const requestedOrigins = new Set<string>();
  const pageProblems: string[] = [];
  page.on('request', (request) => requestedOrigins.add(new URL(request.url()).origin));
  page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
  });
  const write = (editor: string, value: string) => page.locator(`#${editor} .cm-content`).fill(value);
  return {
    auth,
    stack,
    browser,
    page,
    origin,
    requestedOrigins,
    pageProblems,
    text: (testId) => page.getByTestId(testId).textContent(),
    write,
    setQuery: (query) => write('query-editor', query),
    run: async () => {
      const answered = page.waitForResponse((response) => response.url() === `${origin}/graphql`);
      await page.getByTestId('run').click();
      return (await answered).json() as Promise<ConsoleAnswer>;
    },
    storeToken: async (token) => {
      await page.evaluate((value) => sessionStorage.setItem('deputy.token', value), token);
      await page.reload();
    },
    logInThroughForm: async (user, scopes) => {
      await page.waitForURL(`${auth.issuer}/interaction/**`);
      const loginPage = page.url();
      await page.fill('input[name=username]', user);
      await page.fill('input[name=password]', user);
      await page.click('button[type=submit]');
      // Then the scope choice (a new interaction) or, without prompt=consent, the console; passing
      // through the authorization server's logout form when the user changes.
      const choice = (url: URL) => url.href.startsWith(`${auth.issuer}/interaction/`) && url.href !== loginPage && !url.pathname.endsWith('/login');
      await page.waitForURL((url) => url.origin === origin || choice(url));
      if (choice(new URL(page.url()))) await chooseScopes(page, scopes);
      await page.waitForURL(`${origin}/`);
    },
    stop: async () => {
      await browser.close();
      await stack.stop();
      await auth.stop();
    },
  };
}
