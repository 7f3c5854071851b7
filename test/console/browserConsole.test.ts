import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { BENCHMARK_QUERY } from '../helpers/graphql.js';
import { PAGE_WAIT_MS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/consoleBrowser.js';

// The web console in Debian's Chromium, driven by playwright-core: log in as alice through the
// real authorization server (code + PKCE, the login form), run the benchmark query with the
// trace on the demo data, read the waterfall and the rule that withheld alice's view of others'
// drafts; then a field denied outright, expiry, a refused token and logout.

/** A test's timeout: its page waits (up to seven, the log-in form's five included) and polls (5 s, vitest.config.ts). */
const TEST_MS = 7 * PAGE_WAIT_MS + 2 * 5_000 + 10_000;
const SCREENSHOT = resolve('reports/console.png');
const DENIAL_QUERY = '{ me { username reviewCount } users { username birthday } }';
/** A token-shaped string the router refuses (no valid signature); the console only reads its claims. */
const unsignedToken = (claims: object) => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

/** Every bar of the waterfall's fetch rows: its classes, the fetch id of its row, and its left and width in % of the axis. */
function waterfallBars(page: ConsoleBrowser['page']) {
  return page.locator('[data-testid=waterfall-row]').evaluateAll((rows) =>
    rows.flatMap((row) =>
      [...row.querySelectorAll('.bar')].map((bar) => {
        const style = bar.getAttribute('style') ?? '';
        const percent = (property: string) => Number(new RegExp(`${property}:([^%;]+)%`).exec(style)?.[1]);
        return { kind: bar.getAttribute('class') ?? '', fetch: Number(row.getAttribute('data-fetch')), left: percent('left'), width: percent('width') };
      }),
    ),
  );
}

describe('the web console in a browser', { timeout: TEST_MS }, () => {
  let ui: ConsoleBrowser;
  let page: ConsoleBrowser['page'];
  let origin = '';
  const text = (testId: string) => ui.text(testId);
  const write = (editor: string, value: string) => ui.write(editor, value);
  const setQuery = (query: string) => ui.setQuery(query);
  const run = () => ui.run();
  const storeToken = (token: string) => ui.storeToken(token);
  const logInThroughForm = (user: string) => ui.logInThroughForm(user);

  beforeAll(async () => {
    ui = await startConsoleBrowser();
    ({ page, origin } = ui);
  }, 60_000);
  afterAll(async () => {
    await ui?.stop();
  });

  it('logs alice in through the authorization server with code + PKCE and keeps the code out of the address bar', async () => {
    await page.goto(`${origin}/`);
    await expect.poll(() => text('who')).toBe('Not signed in');
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    await page.getByTestId('login').click();
    await logInThroughForm('alice');
    await expect.poll(() => text('who')).toBe('Signed in as alice');
    // The console asks for every scope; alice keeps the scope choice's defaults (all she may delegate).
    expect(await text('granted')).toBe('granted: accounts:read products:read inventory:read reviews:read reviews:write trace:read');
    expect(await text('not-granted')).toBe('not granted: products:write inventory:write');
    expect(await page.evaluate(() => location.search)).toBe('');
  });

  it('runs the benchmark query with the trace: a waterfall of its 16 fetches, each token request drawn where it ran, on an axis ending when the response was sent', async () => {
    await setQuery(BENCHMARK_QUERY);
    const trace = (await run()).extensions!.delegationTrace!;
    const { fetches } = trace;
    const sourced = (source: string) => fetches.filter((fetch) => fetch.token?.source === source).length;
    await expect.poll(() => page.getByTestId('waterfall-row').count()).toBe(16);
    // At most one exchange per subgraph (the plan's prefetch), drawn once; the other fetches of the subgraph share it.
    expect(sourced('exchange')).toBeGreaterThanOrEqual(1);
    expect(sourced('exchange')).toBeLessThanOrEqual(4);
    expect(await page.locator('[data-testid=waterfall-row][data-token=exchange]').count()).toBe(sourced('exchange'));
    expect(await page.locator('.bar.token.exchange').count()).toBe(sourced('exchange'));
    expect(await page.getByTestId('cache-hit').count()).toBe(fetches.filter((fetch) => fetch.token?.obtained === 'cache').length);
    expect(await page.locator('.bar.fetch.ok').count()).toBe(16);
    // Each bar sits where the trace says, on an axis from the request's start to its response.
    const percent = (ms: number) => (ms / trace.durationMs) * 100;
    const drawn = await waterfallBars(page);
    const tokenBars = drawn.filter((bar) => /\btoken\b/.test(bar.kind) && !/\bcache\b/.test(bar.kind));
    expect(tokenBars).toHaveLength(new Set(fetches.map((fetch) => `${fetch.subgraph} ${fetch.token?.requestStartMs}`)).size);
    for (const bar of tokenBars) {
      const { token } = fetches[bar.fetch];
      expect(bar.left).toBeCloseTo(percent(token!.requestStartMs!), 6);
      expect(bar.width).toBeCloseTo(Math.max(percent(token!.requestEndMs! - token!.requestStartMs!), 0.4), 6);
    }
    // The token requests ran when the plan was made: left of every fetch's own start (not drawn after it).
    const firstStart = Math.min(...fetches.map((fetch) => fetch.startMs));
    for (const bar of tokenBars) expect(bar.left).toBeLessThanOrEqual(percent(firstStart));
    for (const bar of drawn.filter((candidate) => /\bfetch\b/.test(candidate.kind))) expect(bar.left).toBeCloseTo(percent(fetches[bar.fetch].sentMs!), 6);
    const ticks = page.getByTestId('waterfall-axis').locator('span');
    expect(Number(await ticks.last().getAttribute('data-ms'))).toBe(trace.durationMs);
    expect(await text('response')).toContain('"topProducts"');
    expect(await page.locator('[data-testid=graph-node][data-node^="subgraph:"]').count()).toBe(4);
  });

  it("shows, for a clicked field, its chain, audience and scopes and the subgraph rule that withheld alice others' drafts", async () => {
    expect(await page.locator('[data-path="users.@.reviews"] .badge').textContent()).toBe('withheld');
    await page.locator('[data-path="users.@.reviews"]').click();
    expect(await text('field-chain')).toBe('alice (web-app) → deputy-router → reviews');
    expect(await text('field-audience')).toBe('reviews');
    // The exchange asks for the reviews scopes alice's token holds (exchange.requestScopes: held), her kept reviews:write too.
    expect(await text('field-scopes')).toBe('reviews:read reviews:write');
    await expect.poll(() => page.getByTestId('decision-withhold').first().textContent()).toContain('published or (scope reviews:read and its author)');
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`console screenshot: ${SCREENSHOT}`);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('marks every fetch a cache hit when the same query runs again with warm tokens', async () => {
    await run();
    await expect.poll(() => page.getByTestId('cache-hit').count()).toBe(16);
    expect(await page.locator('.bar.token.exchange').count()).toBe(0);
  });

  it("draws the broker hop in the call chain and shows a field denied outright with its rule", async () => {
    await setQuery(DENIAL_QUERY);
    await run();
    await expect.poll(() => page.locator('[data-node="hop:accounts:reviews"]').count()).toBe(1);
    expect(await page.locator('[data-path="users.@.birthday"] .badge').textContent()).toBe('denied');
    await page.locator('[data-path="users.@.birthday"]').click();
    expect(await text('denial')).toContain('scope accounts:read and (the user themself or role support)');
    await page.locator('[data-path="me.reviewCount"]').click();
    expect(await text('field-chain')).toBe('alice (web-app) → deputy-router → accounts → reviews via accounts');
    // Eight denied birthdays (every user but alice) read as one line with the rule.
    expect(await page.locator('#errors li').count()).toBe(1);
    expect(await text('errors')).toBe('FORBIDDEN denied Not allowed to access User.birthday, rule: scope accounts:read and (the user themself or role support) at users.0.birthday and 7 more like it');
  });

  it('sends the variables and headers written beside the query, and says readably when they are not JSON', async () => {
    const traceId = 'a'.repeat(32);
    await setQuery('query Top($first: Int) { topProducts(first: $first) { name } }');
    await page.locator('details summary').click();
    await write('variables-editor', '{ "first": 2 }');
    await write('headers-editor', `{ "traceparent": "00-${traceId}-${'b'.repeat(16)}-01" }`);
    await run();
    await expect.poll(() => page.getByTestId('trace-id').textContent()).toBe(traceId);
    expect(JSON.parse((await text('response')) ?? '').data.topProducts).toHaveLength(2);
    await write('variables-editor', '{ "first": ');
    await page.getByTestId('run').click();
    await expect.poll(() => text('banner')).toBe('Variables must be a JSON object');
    await write('variables-editor', '{}');
    await write('headers-editor', '{}');
  });

  it('made no request to any host but the router and the authorization server, and broke no rule of its policy', () => {
    expect([...ui.requestedOrigins].sort()).toEqual([ui.auth.issuer, origin].sort());
    expect(ui.pageProblems).toEqual([]);
  });

  it('asks to log in again when the token runs out while the page is open', async () => {
    await storeToken(unsignedToken({ sub: 'alice', exp: inSeconds(3) }));
    await expect.poll(() => text('who')).toBe('Signed in as alice');
    await expect.poll(() => text('banner'), { timeout: 6000 }).toContain('Your session has expired');
    expect(await page.getByTestId('relogin').isVisible()).toBe(true);
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
  });

  it('asks to log in again when the router refuses the token, and shows its error readably', async () => {
    await storeToken(unsignedToken({ sub: 'alice', exp: inSeconds(600) }));
    await run();
    await expect.poll(() => text('banner')).toContain('no longer accepts your session');
    expect(await text('errors')).toContain('UNAUTHENTICATED');
    expect(await text('who')).toBe('Not signed in');
    await page.getByTestId('relogin').click();
    await logInThroughForm('bob');
    await expect.poll(() => text('who')).toBe('Signed in as bob');
  });

  it('logs out: the token is gone, and logging in asks for the password again', async () => {
    await page.getByTestId('logout').click();
    expect(await text('who')).toBe('Not signed in');
    expect(await page.evaluate(() => sessionStorage.getItem('deputy.token'))).toBeNull();
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    await page.getByTestId('login').click();
    await page.waitForURL(`${ui.auth.issuer}/interaction/**`);
    expect(await page.locator('input[name=password]').count()).toBe(1);
  });
});
