import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, claimsOf, startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startSetReceiver, type SetReceiver } from '../helpers/setReceiver.js';
import { logout, revoke, verifySet } from '../helpers/revocationClient.js';
import { foreignToken } from '../helpers/forgeToken.js';
import { obtainUserToken } from '../../scripts/token/obtainUserToken.js';
import { CookieJar } from '../../scripts/token/cookieJar.js';
import { SESSION_REVOKED, TOKEN_CLAIMS_CHANGE } from '../../auth-server/securityEvents/eventTypes.js';
import type { AuthAuditEvent } from '../../auth-server/auditEvents.js';

// Revocation at the authorization server (README.md "The authorization server", "Revocation and
// logout"): RFC 7009 and RP-initiated logout end sessions, and every receiver hears CAEP events as
// signed SETs pushed over loopback (RFC 8935).

describe('revocation and logout push CAEP events to every receiver', () => {
  let auth: TestAuth;
  let router: SetReceiver;
  let products: SetReceiver;
  const webApp = { publicId: 'web-app' };
  const routerClient = () => ({ id: 'deputy-router', secret: auth.secret('deputy-router') });
  const exchange = (subjectToken: string) =>
    auth.token({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, audience: 'accounts', scope: 'accounts:read' });
  const marks = () => ({ router: router.requests.length, products: products.requests.length, audit: auth.audit.length });

  /** The SETs each receiver got since `from`, once each has `count`; verified against the issuer's keys. */
  async function newEvents(from: ReturnType<typeof marks>, count = 1) {
    await expect.poll(() => [router.requests.length - from.router, products.requests.length - from.products]).toEqual([count, count]);
    const verify = (receiver: SetReceiver, start: number, audience: string) => Promise.all(receiver.requests.slice(start).map((request) => verifySet(auth.issuer, request.body, audience)));
    return { router: await verify(router, from.router, 'deputy-router'), products: await verify(products, from.products, 'products') };
  }
  const auditSince = (from: ReturnType<typeof marks>) => auth.audit.slice(from.audit);
  const deliveries = (events: AuthAuditEvent[]) => events.filter((event) => event.event === 'set.delivery');

  beforeAll(async () => {
    [router, products] = await Promise.all([startSetReceiver(), startSetReceiver()]);
    auth = await startAuth({ ssfReceivers: [{ audience: 'deputy-router', url: router.url }, { audience: 'products', url: products.url }] });
  });
  afterAll(async () => {
    await auth?.stop();
    await Promise.all([router?.stop(), products?.stop()]);
  });

  it("revoking a user access token as its client answers 200 and pushes a verified session-revoked SET naming the token's sid", async () => {
    const token = await auth.userToken('alice');
    const { sid } = claimsOf(token);
    expect(sid).toEqual(expect.any(String));
    const from = marks();

    expect(await revoke(auth.issuer, { token, token_type_hint: 'access_token' }, webApp)).toEqual({ status: 200, body: {} });

    const sets = await newEvents(from);
    for (const request of [router.requests.at(-1)!, products.requests.at(-1)!]) {
      expect(request.headers['content-type']).toBe('application/secevent+jwt');
      expect(request.headers.accept).toBe('application/json');
      expect(request.body).not.toContain(token);
    }
    const [{ payload, header }] = sets.router;
    expect(header).toMatchObject({ typ: 'secevent+jwt', alg: 'ES256', kid: expect.any(String) });
    expect(payload.exp).toBeUndefined();
    expect(payload).toMatchObject({ iss: auth.issuer, aud: 'deputy-router', iat: expect.any(Number), jti: expect.any(String) });
    expect(payload.events).toEqual({
      [SESSION_REVOKED]: {
        subject: { format: 'complex', user: { format: 'iss_sub', iss: auth.issuer, sub: 'alice' }, session: { format: 'opaque', id: sid } },
        event_timestamp: expect.any(Number),
      },
    });
    // One SET per receiver, each its own jti and audience, tied by one txn.
    expect(sets.products[0].payload).toMatchObject({ aud: 'products', events: payload.events, txn: payload.txn });
    expect(sets.products[0].payload.jti).not.toBe(payload.jti);

    const ofThisEvent = () => deliveries(auditSince(from)).filter((event) => event.txn === payload.txn);
    await expect.poll(() => ofThisEvent().length).toBe(2);
    const audit = auditSince(from);
    expect(audit.find((event) => event.event === 'revocation')).toEqual({
      event: 'revocation',
      cause: 'token_revoked',
      decision: 'revoked',
      client: 'web-app',
      subject: 'alice',
      sid,
      jti: claimsOf(token).jti,
      txn: payload.txn,
    });
    expect(ofThisEvent().map((event) => [event.receiver, event.outcome, event.status, event.attempts])).toEqual(
      expect.arrayContaining([
        ['deputy-router', 'accepted', 202, 1],
        ['products', 'accepted', 202, 1],
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('a revoked token is never exchanged again, and revoking it a second time sends nothing more', async () => {
    const token = await auth.userToken('alice');
    expect((await exchange(token)).status).toBe(200);
    expect((await revoke(auth.issuer, { token }, webApp)).status).toBe(200);

    const refused = await exchange(token);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request', error_description: 'subject_token rejected: it was revoked' });

    const from = marks();
    expect((await revoke(auth.issuer, { token }, webApp)).status).toBe(200);
    expect(auditSince(from).filter((event) => event.event !== 'set.delivery')).toEqual([expect.objectContaining({ event: 'revocation', decision: 'ignored', reason: 'token_revoked' })]);
  });

  it("an exchanged token carries its subject's sid, and revoking it as the router ends that session", async () => {
    const user = await auth.userToken('urigo');
    const exchanged = String((await exchange(user)).body.access_token);
    expect(claimsOf(exchanged)).toMatchObject({ sub: 'urigo', aud: 'accounts', client_id: 'deputy-router', sid: claimsOf(user).sid });
    const from = marks();

    expect((await revoke(auth.issuer, { token: exchanged }, routerClient())).status).toBe(200);

    const sets = await newEvents(from);
    expect(sets.router[0].payload.events).toMatchObject({ [SESSION_REVOKED]: { subject: { user: { sub: 'urigo' }, session: { id: claimsOf(user).sid } } } });
    expect((await exchange(user)).body.error_description).toBe('subject_token rejected: its session was revoked');
  });

  it("revoking a client's own token (no session) names the client as the subject", async () => {
    const own = String((await auth.token({ grant_type: 'client_credentials', audience: 'products' })).body.access_token);
    const from = marks();

    expect((await revoke(auth.issuer, { token: own }, routerClient())).status).toBe(200);

    const sets = await newEvents(from);
    expect(sets.products[0].payload.events).toEqual({ [SESSION_REVOKED]: { subject: { format: 'iss_sub', iss: auth.issuer, sub: 'deputy-router' }, event_timestamp: expect.any(Number) } });
  });

  it('logout ends the session and its grant, pushes session-revoked with its sid, and the next sign-in is a new session', async () => {
    const jar = new CookieJar();
    const signIn = () => obtainUserToken({ issuer: auth.issuer, username: 'carol', password: 'carol', scope: 'openid reviews:read', redirectUri: 'http://127.0.0.1:4000/callback', jar });
    const token = (await signIn()).accessToken;
    const { sid } = claimsOf(token);
    const from = marks();

    const response = await logout(auth.issuer, jar);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${auth.issuer}/session/end/success`);

    const sets = await newEvents(from);
    expect(sets.router[0].payload.events).toEqual({
      [SESSION_REVOKED]: {
        subject: { format: 'complex', user: { format: 'iss_sub', iss: auth.issuer, sub: 'carol' }, session: { format: 'opaque', id: sid } },
        event_timestamp: expect.any(Number),
      },
    });
    expect(auditSince(from).find((event) => event.event === 'revocation')).toMatchObject({ cause: 'logout', decision: 'revoked', client: 'web-app', subject: 'carol', sid });
    expect((await exchange(token)).body.error_description).toBe('subject_token rejected: its session was revoked');
    // The same browser signs in again through the login form (the flow fails if the session had survived) and gets a new sid.
    expect(claimsOf((await signIn()).accessToken).sid).not.toBe(sid);
  });

  it('the token-claims-change trigger pushes its event, and tokens follow the new entitlements', async () => {
    const before = await auth.userToken('bob');
    const from = marks();

    const txn = auth.server.changeEntitlements('bob', ['accounts:read', 'reviews:read']);

    const sets = await newEvents(from);
    expect(sets.router[0].payload).toMatchObject({ txn });
    expect(sets.router[0].payload.events).toEqual({
      [TOKEN_CLAIMS_CHANGE]: { subject: { format: 'iss_sub', iss: auth.issuer, sub: 'bob' }, event_timestamp: expect.any(Number), claims: { scope: 'accounts:read reviews:read' } },
    });
    expect(auditSince(from).find((event) => event.event === 'claims.change')).toEqual({ event: 'claims.change', subject: 'bob', scopes: ['accounts:read', 'reviews:read'], txn });
    expect((await exchange(before)).body.error_description).toBe("subject_token rejected: its subject's entitlements changed since it was issued");
    expect(claimsOf(await auth.userToken('bob')).scope).toBe('accounts:read reviews:read');
    expect(() => auth.server.changeEntitlements('mallory', [])).toThrow("unknown user 'mallory'");
    expect(() => auth.server.changeEntitlements('bob', ['root'])).toThrow("unknown scope 'root'");
  });

  describe('refusals, each by its code, revoke nothing and send nothing', () => {
    it.each<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string | undefined]>([
      ['an unknown token', async () => revoke(auth.issuer, { token: 'no-such-token' }, routerClient()), 200, undefined],
      ['a JWT signed by another key', async () => revoke(auth.issuer, { token: await foreignToken({ iss: auth.issuer, sub: 'dotansimha', client_id: 'deputy-router', jti: 'x', aud: 'accounts' }) }, routerClient()), 200, undefined],
      [
        'an expired token of ours',
        async () => revoke(auth.issuer, { token: await auth.signAsIssuer({ iss: auth.issuer, sub: 'dotansimha', client_id: 'web-app', jti: 'old', aud: 'deputy-router', iat: 1000, exp: 2000 }) }, webApp),
        200,
        undefined,
      ],
      ["another client's token, by a confidential client", async () => revoke(auth.issuer, { token: await auth.userToken('dotansimha') }, routerClient()), 400, 'invalid_request'],
      ["another client's token, by the public client (no oracle: 200)", async () => revoke(auth.issuer, { token: String((await exchange(await auth.userToken('dotansimha'))).body.access_token) }, webApp), 200, undefined],
      ['a wrong client secret', async () => revoke(auth.issuer, { token: await auth.userToken('dotansimha') }, { id: 'deputy-router', secret: 'wrong' }), 401, 'invalid_client'],
      ['an unknown public client', async () => revoke(auth.issuer, { token: 'x' }, { publicId: 'nobody' }), 401, 'invalid_client'],
      ['no token parameter', async () => revoke(auth.issuer, {}, routerClient()), 400, 'invalid_request'],
      ['an ID token (not an access token)', async () => revoke(auth.issuer, { token: await auth.signAsIssuer({ iss: auth.issuer, sub: 'dotansimha', aud: 'deputy-router', iat: 1, exp: 4102444800 }, { typ: 'JWT' }) }, routerClient()), 400, 'unsupported_token_type'],
    ])('%s', async (_what, attempt, status, error) => {
      const held = await auth.userToken('dotansimha');
      const from = marks();
      const response = await attempt();
      expect(response.status).toBe(status);
      expect(response.body.error).toBe(error);
      // Nothing was revoked: the user's session still exchanges; then one real revocation is all receivers ever get.
      expect((await exchange(held)).status).toBe(200);
      expect((await revoke(auth.issuer, { token: held }, webApp)).status).toBe(200);
      await newEvents(from);
      expect(auditSince(from).filter((event) => event.event === 'revocation').map((event) => event.decision)).toEqual([status === 200 ? 'ignored' : 'refused', 'revoked']);
    });
  });
});
