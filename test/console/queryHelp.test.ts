import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../helpers/graphql.js';
import { PAGE_WAIT_MS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/consoleBrowser.js';

// Help writing queries in the web console, on a router whose /graphql denies introspection:
// autocomplete and validation from the schema the console fetched at GET /console/schema, the
// schema's documentation, the query history in localStorage, the query plan as a tree, and
// "Copy as curl" with a placeholder for the token.

/** A test's timeout: its page waits (the log-in form's five included) and polls (5 s, vitest.config.ts). */
const TEST_MS = 7 * PAGE_WAIT_MS + 3 * 5_000 + 10_000;
const TOP = 'query Top($first: Int) { topProducts(first: $first) { name inStock reviews { body } } }';

describe('help writing queries in the web console', { timeout: TEST_MS }, () => {
  let ui: ConsoleBrowser;
  let page: ConsoleBrowser['page'];
  let origin = '';
  let token = '';
  const text = (testId: string) => ui.text(testId);
  const queryText = async () => (await page.locator('#query-editor .cm-content').innerText()).trim();

  beforeAll(async () => {
    ui = await startConsoleBrowser({ stack: { routerConfig: (config) => ({ ...config, limits: { introspection: 'deny' } }) } });
    ({ page, origin } = ui);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  }, 60_000);
  afterAll(async () => {
    await ui?.stop();
  });

  it('logs alice in and loads the schema although /graphql refuses her introspection', async () => {
    await page.goto(`${origin}/`);
    await page.getByTestId('login').click();
    await ui.logInThroughForm('alice');
    await expect.poll(() => text('who')).toBe('Signed in as alice');
    token = (await page.evaluate(() => sessionStorage.getItem('deputy.token')))!;
    const introspection = await postGraphQL(`${origin}/graphql`, { query: '{ __schema { queryType { name } } }' }, { authorization: `Bearer ${token}` });
    expect([introspection.status, (introspection.json() as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code]).toEqual([400, 'INTROSPECTION_DISABLED']);
    await expect.poll(() => page.locator('[data-field="Query.topProducts"]').count()).toBe(1);
  });

  it('offers the fields of the schema while typing, and inserts the one chosen', async () => {
    await ui.setQuery('');
    await page.locator('#query-editor .cm-content').click();
    await page.keyboard.type('{ top');
    // Waited for with the page's own wait (a poll's 5 s can end inside one slow look on a busy machine).
    const tooltip = page.locator('.cm-tooltip-autocomplete');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('topProducts');
    await page.keyboard.press('Enter');
    await expect.poll(queryText).toBe('{ topProducts}');
  });

  it('marks a field the schema does not have', async () => {
    await ui.setQuery('{ topProducts { nope } }');
    await expect.poll(() => page.locator('#query-editor .cm-lintRange-error').count()).toBe(1);
    // The mark sits on the unknown field.
    expect(await page.locator('#query-editor .cm-lintRange-error').textContent()).toMatch(/^nop/);
    await ui.setQuery('{ topProducts { name } }');
    await expect.poll(() => page.locator('#query-editor .cm-lintRange-error').count()).toBe(0);
  });

  it("documents the schema: a root field's arguments and type, a click to that type's page, descriptions and a search", async () => {
    expect(await page.getByTestId('docs').isVisible()).toBe(false);
    await page.getByTestId('docs-toggle').click();
    const topProducts = page.locator('[data-field="Query.topProducts"]');
    expect(await topProducts.textContent()).toBe('topProducts(first: Int = 5): [Product]');
    expect(await topProducts.getByTestId('docs-field-type').textContent()).toBe('[Product]');
    expect(await page.locator('[data-field="Mutation.addReview"]').textContent()).toContain("Adds a review written by the caller (the token's subject)");
    await topProducts.getByTestId('docs-field-type').getByRole('button').click();
    expect(await text('docs-title')).toBe('type Product');
    expect(await page.locator('[data-field="Product.inStock"]').getByTestId('docs-field-type').textContent()).toBe('Boolean');
    await page.getByTestId('docs-back').click();
    expect(await page.locator('[data-field="Query.topProducts"]').count()).toBe(1);
    await page.getByTestId('docs-search').fill('instock');
    expect(await page.getByTestId('docs-hit').allTextContents()).toContain('Product.inStock: Boolean');
    await page.getByTestId('docs-home').click();
    expect(await page.getByTestId('docs-search').inputValue()).toBe('');
  });

  it('keeps each query run in the history, newest first, and restores one with its variables', async () => {
    await ui.setQuery(TOP);
    await page.locator('section.request details summary').click();
    await ui.write('variables-editor', '{ "first": 2 }');
    await ui.run();
    await expect.poll(() => page.getByTestId('history-entry').count()).toBe(1);
    await ui.setQuery('{ me { username } }');
    await ui.write('variables-editor', '{}');
    await ui.run();
    await expect.poll(() => page.getByTestId('history-entry').allTextContents()).toEqual([expect.stringContaining('{ me { username } }'), expect.stringContaining('query Top')]);
    await ui.run();
    expect(await page.getByTestId('history-entry').count()).toBe(2);
    await page.getByTestId('history-entry').nth(1).click();
    expect(await queryText()).toBe(TOP);
    expect((await page.locator('#variables-editor .cm-content').innerText()).trim()).toBe('{ "first": 2 }');
  });

  it('keeps the history across a reload, and never the token', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('history-entry').count()).toBe(2);
    const stored = await page.evaluate(() => Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`));
    expect(stored.join('\n')).toContain('query Top');
    expect(stored.join('\n')).not.toContain(token);
  });

  it('draws the query plan as a tree whose fetches name the subgraphs the trace fetched', async () => {
    await ui.setQuery(TOP);
    await page.locator('section.request details summary').click();
    await ui.write('variables-editor', '{ "first": 2 }');
    const trace = (await ui.run()).extensions!.delegationTrace!;
    expect(trace.queryPlan).toBeTruthy();
    const plan = page.getByTestId('query-plan');
    await expect.poll(() => plan.getByTestId('plan-fetch').count()).toBeGreaterThan(1);
    const services = await plan.getByTestId('plan-fetch').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-service')));
    expect(new Set(services)).toEqual(new Set(trace.fetches.map((fetch) => fetch.subgraph)));
    expect(await plan.locator(':scope > ul > li').getAttribute('data-kind')).toBe('Sequence');
    // The entity fetches sit inside the flatten that puts their results under topProducts.@.
    expect(await plan.locator('[data-kind=Flatten]').first().locator('.plan-line').first().textContent()).toBe('Flatten topProducts.@');
    expect(await plan.locator('[data-kind=Flatten] [data-testid=plan-fetch]').count()).toBe(services.length - 1);
    const operation = plan.getByTestId('plan-operation').first();
    expect(await operation.isVisible()).toBe(false);
    await plan.locator('.plan-op button').first().click();
    expect(await operation.textContent()).toContain('topProducts');
  });

  it('copies the request as curl with <token> for the token, and that command, token filled in, gets the same answer', async () => {
    const answer = await ui.run();
    await page.getByTestId('copy-curl').click();
    await expect.poll(() => text('curl-status')).toContain('Copied');
    const command = await page.getByTestId('curl').inputValue();
    expect(command).toContain(`curl '${origin}/graphql'`);
    expect(command).toContain("-H 'authorization: Bearer <token>'");
    expect(command).toContain(JSON.stringify(TOP));
    expect(command).not.toContain(token);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    // The shell puts the token in from its environment: it stays out of the command (and of any failure's message).
    // Not execFileSync: the router answering curl runs in this very process.
    const runnable = `${command.replace("'authorization: Bearer <token>'", '"authorization: Bearer $TOKEN"')} --silent --max-time 10`;
    const { stdout } = await promisify(execFile)('sh', ['-c', runnable], { env: { ...process.env, TOKEN: token }, encoding: 'utf8' });
    expect((JSON.parse(stdout) as { data: unknown }).data).toEqual(answer.data);
  });

  it('made no request to any host but the router and the authorization server, and broke no rule of its policy', () => {
    expect([...ui.requestedOrigins].sort()).toEqual([ui.auth.issuer, origin].sort());
    expect(ui.pageProblems).toEqual([]);
  });
});
