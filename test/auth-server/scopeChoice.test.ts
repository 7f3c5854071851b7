import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { choiceForm, offeredOn, startScopeChoice } from '../helpers/scopeChoiceFlow.js';
import { claimsOf } from '../helpers/decode.js';

// The scope choice of the embedded authorization server (prompt=consent), over loopback: what
// it offers, what a choice grants (the access token's scope), and each refusal.

/** What the console asks for: every scope of the demo subgraphs and the trace. */
const CONSOLE_SCOPE = 'openid accounts:read products:read products:write inventory:read inventory:write reviews:read reviews:write trace:read';
const ALICE_ENTITLED = ['accounts:read', 'products:read', 'inventory:read', 'reviews:read', 'reviews:write', 'trace:read'];
const EXPIRED_OR_INVALID = 'This sign-in attempt has expired or is invalid. Start again from the application.';

describe('the scope choice at login (prompt=consent)', () => {
  let auth: TestAuth;
  const choice = (user: string, scope = CONSOLE_SCOPE, prompt?: string) => startScopeChoice(auth.issuer, { user, scope, prompt });

  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(() => auth?.stop());

  it('offers, ticked, the requested scopes the user is entitled to, each described, and names the others as not available', async () => {
    const alice = await choice('alice');
    expect(alice.page?.status).toBe(200);
    expect(offeredOn(alice.page!.html)).toEqual(ALICE_ENTITLED.map((scope) => ({ scope, checked: true })));
    expect(alice.page!.html).toContain('<code>reviews:write</code><br><small>Write reviews in your name (the reviewer role in reviews decides)</small>');
    expect(alice.page!.html).toMatch(/data-testid="scopes-unavailable">Not available to you[^<]*<code>products:write<\/code>, <code>inventory:write<\/code><\/p>/);
    expect(alice.page!.html).toContain(`action="/interaction/${alice.uid}/consent"`);
    const bob = await choice('bob');
    expect(offeredOn(bob.page!.html).map(({ scope }) => scope)).toContain('inventory:write');
    expect(bob.page!.html).toMatch(/Not available to you[^<]*<code>products:write<\/code><\/p>/);
  });

  it('offers only what was asked for, not everything the user is entitled to', async () => {
    const alice = await choice('alice', 'openid reviews:read');
    expect(offeredOn(alice.page!.html)).toEqual([{ scope: 'reviews:read', checked: true }]);
    expect(alice.page!.html).not.toContain('scopes-unavailable');
  });

  it("grants exactly the ticked scopes: the access token's scope and the token response say so, not widened to the entitlements", async () => {
    const alice = await choice('alice');
    const outcome = await alice.finish(await alice.post(choiceForm('allow', ['reviews:read', 'trace:read'])));
    expect(outcome.tokenScopes).toEqual(['reviews:read', 'trace:read']);
    expect(outcome.responseScope).toBe('reviews:read trace:read');
  });

  it('grants every scope offered when all boxes stay ticked', async () => {
    const alice = await choice('alice');
    const outcome = await alice.finish(await alice.post(choiceForm('allow', ALICE_ENTITLED)));
    expect(outcome.tokenScopes).toEqual(ALICE_ENTITLED);
  });

  it('rewrites the choice on each login of the same session: what was ticked before and not now is gone, and back when ticked again', async () => {
    const first = await choice('alice');
    expect((await first.finish(await first.post(choiceForm('allow', ALICE_ENTITLED)))).tokenScopes).toEqual(ALICE_ENTITLED);
    const again = await startScopeChoice(auth.issuer, { user: 'alice', scope: CONSOLE_SCOPE, jar: first.jar });
    expect(offeredOn(again.page!.html).every(({ checked }) => checked)).toBe(true);
    expect((await again.finish(await again.post(choiceForm('allow', ['reviews:read'])))).tokenScopes).toEqual(['reviews:read']);
    const third = await startScopeChoice(auth.issuer, { user: 'alice', scope: CONSOLE_SCOPE, jar: first.jar });
    expect((await third.finish(await third.post(choiceForm('allow', ['reviews:read', 'reviews:write'])))).tokenScopes).toEqual(['reviews:read', 'reviews:write']);
  });

  it('refuses a form naming a scope that was not offered (not entitled, or not asked for), grants nothing, and lets the user choose again', async () => {
    const alice = await choice('alice', 'openid reviews:read');
    for (const forged of [['reviews:read', 'products:write'], ['reviews:read', 'reviews:write']]) {
      const refused = await alice.post(choiceForm('allow', forged));
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain(`The form named scopes that were not offered: ${forged[1]}. Nothing was granted.`);
      expect(offeredOn(html)).toEqual([{ scope: 'reviews:read', checked: true }]);
    }
    const outcome = await alice.finish(await alice.post(choiceForm('allow', ['reviews:read'])));
    expect(outcome.tokenScopes).toEqual(['reviews:read']);
  });

  it('refuses a choice of no scope, or with no decision, saying what to do', async () => {
    const alice = await choice('alice');
    const none = await alice.post(choiceForm('allow'));
    expect(none.status).toBe(400);
    const html = await none.text();
    expect(html).toContain('Tick at least one scope to sign in, or Cancel.');
    expect(offeredOn(html).every(({ checked }) => !checked)).toBe(true);
    const undecided = await alice.post(choiceForm('maybe', ['reviews:read']));
    expect(undecided.status).toBe(400);
    expect(await undecided.text()).toContain('Choose Allow or Cancel.');
  });

  it('answers the client access_denied when the user cancels, with its state', async () => {
    const alice = await choice('alice');
    const outcome = await alice.finish(await alice.post(choiceForm('cancel', ['reviews:read'])));
    expect(outcome).toMatchObject({ error: 'access_denied', errorDescription: 'the user cancelled at the scope choice' });
    expect(outcome.state).toBeTruthy();
    expect(outcome.tokenScopes).toBeUndefined();
  });

  it('binds the form to its interaction: another uid in the path, another step, or no interaction cookie is refused', async () => {
    const alice = await choice('alice');
    const other = await choice('bob');
    const elsewhere = await alice.post(choiceForm('allow', ['reviews:read']), `/interaction/${other.uid}/consent`);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toBe(EXPIRED_OR_INVALID);
    const asLogin = await alice.post(new URLSearchParams({ username: 'alice', password: 'alice' }), `/interaction/${alice.uid}/login`);
    expect(asLogin.status).toBe(400);
    expect(await asLogin.text()).toBe(EXPIRED_OR_INVALID);
    const cookieless = await fetch(new URL(`/interaction/${alice.uid}/consent`, auth.issuer), { method: 'POST', redirect: 'manual', body: choiceForm('allow', ['reviews:read']) });
    expect(cookieless.status).toBe(400);
    expect(await cookieless.text()).toBe(EXPIRED_OR_INVALID);
    // None of it granted anything: the interaction still stands, and bob's too.
    expect((await alice.finish(await alice.post(choiceForm('allow', ['trace:read'])))).tokenScopes).toEqual(['trace:read']);
    expect((await other.finish(await other.post(choiceForm('allow', ['inventory:write'])))).tokenScopes).toEqual(['inventory:write']);
  });

  it('escapes the requested scope names it shows', async () => {
    const alice = await choice('alice', 'openid reviews:read <img/src=x/onerror=alert(1)>');
    expect(alice.page!.html).not.toContain('<img');
    expect(alice.page!.html).toContain('<code>&#60;img/src=x/onerror=alert(1)&#62;</code>');
  });

  it('shows no scope choice without prompt=consent: the login grants what was asked within the entitlements, as before', async () => {
    const alice = await choice('alice', CONSOLE_SCOPE, 'login');
    expect(alice.page).toBeUndefined();
    expect(alice.outcome?.tokenScopes).toEqual(ALICE_ENTITLED);
    // The programmatic login (npm run token, the tests' userToken) is unchanged.
    expect(String(claimsOf(await auth.userToken('carol')).scope).split(' ')).toContain('products:write');
  });
});
