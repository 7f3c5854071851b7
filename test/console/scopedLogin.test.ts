import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_WAIT_MS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/consoleBrowser.js';

// Scopes chosen at login, in Chromium against the real authorization server and router: alice
// leaves reviews:write unticked and the reviews subgraph refuses her review; ticked, the same
// mutation from the console writes it. Cancelling the choice brings her back signed out.

/** A test's timeout: its page waits (login, scope choice, the way back, a run) and polls (5 s, vitest.config.ts). */
const TEST_MS = 8 * PAGE_WAIT_MS + 2 * 5_000 + 10_000;
const ADD_REVIEW = 'mutation { addReview(upc: "2", body: "Written from the console.") { body draft author { username } } }';
const READS = ['accounts:read', 'products:read', 'inventory:read', 'reviews:read', 'trace:read'];

describe('scopes chosen at login in the web console', { timeout: TEST_MS }, () => {
  let ui: ConsoleBrowser;
  let page: ConsoleBrowser['page'];
  const text = (testId: string) => ui.text(testId);
  const logInAgain = async () => {
    if (await page.getByTestId('logout').isVisible()) await page.getByTestId('logout').click();
    await page.getByTestId('login').click();
  };

  beforeAll(async () => {
    ui = await startConsoleBrowser();
    page = ui.page;
    await page.goto(`${ui.origin}/`);
  }, 60_000);
  afterAll(async () => {
    await ui?.stop();
  });

  it('grants alice exactly the scopes she kept, says which asked-for ones she did not get, and the subgraph refuses her review', async () => {
    await logInAgain();
    await ui.logInThroughForm('alice', READS);
    await expect.poll(() => text('who')).toBe('Signed in as alice');
    expect(await text('granted')).toBe(`granted: ${READS.join(' ')}`);
    expect(await text('not-granted')).toBe('not granted: products:write inventory:write reviews:write');
    await ui.setQuery(ADD_REVIEW);
    const answer = await ui.run();
    expect(answer.data).toEqual({ addReview: null });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    await expect.poll(() => text('errors')).toBe('FORBIDDEN denied Not allowed to access Mutation.addReview, rule: scope reviews:write and role reviewer at addReview');
  });

  it('lets alice, logged in again with reviews:write ticked, write the same review from the console', async () => {
    await logInAgain();
    await ui.logInThroughForm('alice', ['reviews:read', 'reviews:write']);
    await expect.poll(() => text('granted')).toBe('granted: reviews:read reviews:write');
    await ui.setQuery(ADD_REVIEW);
    const answer = await ui.run();
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ addReview: { body: 'Written from the console.', draft: false, author: { username: 'alice' } } });
    await expect.poll(() => text('response')).toContain('Written from the console.');
    expect(await text('errors')).toBe('');
  });

  it('shows what is not available on the scope choice, and a cancel brings the console back signed out with access_denied said', async () => {
    await logInAgain();
    await page.waitForURL(`${ui.auth.issuer}/interaction/**`);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'alice');
    await page.click('button[type=submit]');
    await page.getByTestId('scope-cancel').waitFor();
    expect(await text('scopes-unavailable')).toBe('Not available to you (you may not delegate them): products:write, inventory:write');
    expect(await page.getByTestId('scope-option').count()).toBe(6);
    await page.getByTestId('scope-cancel').click();
    await page.waitForURL(`${ui.origin}/`);
    await expect.poll(() => text('banner')).toBe('Login failed: access_denied the user cancelled at the scope choice');
    expect(await text('who')).toBe('Not signed in');
    expect(await page.getByTestId('not-granted').isHidden()).toBe(true);
  });

  it('broke no rule of the page policy on the way', () => {
    expect(ui.pageProblems).toEqual([]);
  });
});
