import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { sample } from '../helpers/metrics.js';
import { claimsOf } from '../helpers/decode.js';
import { TOKEN_CLAIMS_CHANGE } from '../../lib/securityEvents/caepEvents.js';
import { claimsChanged, eventsUrl, nowSeconds, pushSet, sessionRevoked, sessionToken, signSet } from '../helpers/securityEvents.js';

// The issuer pushes Security Event Tokens to the router's POST /events (RFC 8935): CAEP
// session-revoked and token-claims-change. SETs are signed with the real test issuer's key.

const QUERY = { query: '{ topProducts { name inStock } }' };

describe("the router refuses tokens its issuer's security events revoke", () => {
  let stack: TestStack;
  let events: string;
  const ask = (token: string) => postGraphQL(stack.router.url, QUERY, { authorization: `Bearer ${token}` });
  const push = async (claims: Parameters<typeof signSet>[2], audience = 'deputy-router') => pushSet(events, await signSet(stack.auth, audience, claims));
  const revocationAudits = () => stack.audit.filter((event) => event.event === 'token.revoked');

  beforeAll(async () => {
    stack = await startStack();
    events = eventsUrl(stack.router.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses a revoked session's next request with 401 token_revoked, and no subgraph receives it", async () => {
    const alice = await sessionToken(stack.auth, 'alice', 'alice-s1');
    expect((await ask(alice)).json()).not.toHaveProperty('errors');
    const received = stack.received.length;

    const pushed = await push(sessionRevoked(stack.auth, 'alice', 'alice-s1'));
    expect(pushed.status).toBe(202);
    expect(pushed.body).toBeUndefined();

    const refused = await ask(alice);
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'token_revoked' } }] });
    expect(stack.received.length).toBe(received);
    expect(revocationAudits().at(-1)).toMatchObject({ eventType: 'session-revoked', subject: 'alice', sid: 'alice-s1', jti: expect.any(String), source: 'push' });
  });

  it("leaves other users and the user's other sessions alone, and serves a token issued after the event", async () => {
    const at = nowSeconds() - 2;
    const bob = await sessionToken(stack.auth, 'bob', 'bob-s1', at - 10);
    const aliceElsewhere = await sessionToken(stack.auth, 'alice', 'alice-s3', at - 10);
    const aliceLater = await sessionToken(stack.auth, 'alice', 'alice-s2', at + 1);
    expect((await push(sessionRevoked(stack.auth, 'alice', 'alice-s2', at))).status).toBe(202);
    expect((await ask(await sessionToken(stack.auth, 'alice', 'alice-s2', at))).status).toBe(401);
    for (const token of [bob, aliceElsewhere, aliceLater]) {
      const served = await ask(token);
      expect(served.status).toBe(200);
      expect(served.json()).not.toHaveProperty('errors');
    }
  });

  it("revokes a user's earlier tokens on token-claims-change, a real login token included", async () => {
    const carol = await stack.auth.userToken('carol');
    const bob = await stack.auth.userToken('bob');
    expect((await ask(carol)).status).toBe(200);
    const received = stack.received.length;
    expect((await push(claimsChanged(stack.auth, 'carol', Number(claimsOf(carol).iat)))).status).toBe(202);
    expect((await ask(carol)).json()).toMatchObject({ errors: [{ extensions: { reason: 'token_revoked' } }] });
    expect(stack.received.length).toBe(received);
    expect((await ask(bob)).status).toBe(200);
    expect((await ask(await sessionToken(stack.auth, 'carol', 'carol-s1', Number(claimsOf(carol).iat) + 1))).status).toBe(200);
  });

  it('answers a replayed SET 202 and applies it once', async () => {
    const set = await signSet(stack.auth, 'deputy-router', sessionRevoked(stack.auth, 'dave', 'dave-s1'));
    const audits = revocationAudits().length;
    expect((await pushSet(events, set)).status).toBe(202);
    expect((await pushSet(events, set)).status).toBe(202);
    expect(revocationAudits().length).toBe(audits + 1);
  });

  it('acknowledges event types it does not act on, revoking nothing', async () => {
    const audits = revocationAudits().length;
    const pushed = await push({ 'https://schemas.openid.net/secevent/caep/event-type/credential-change': { subject: { format: 'iss_sub', iss: stack.auth.issuer, sub: 'bob' } } });
    expect(pushed.status).toBe(202);
    expect(revocationAudits().length).toBe(audits);
  });

  describe('refuses what is not a valid SET for it, each with its RFC 8935 code, revoking nothing', () => {
    const valid = () => sessionRevoked(stack.auth, 'bob', 'bob-s1');
    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> | undefined }>, number, string][] = [
      [
        'a bad signature (a key the issuer never had, under its kid)',
        async () => {
          const real = await signSet(stack.auth, 'deputy-router', valid());
          const { privateKey } = await generateKeyPair('ES256');
          const header = JSON.parse(Buffer.from(real.split('.')[0], 'base64url').toString('utf8'));
          return pushSet(events, await new SignJWT(claimsOf(real)).setProtectedHeader(header).sign(privateKey));
        },
        400,
        'invalid_key',
      ],
      [
        'a payload changed after signing',
        async () => {
          const [header, , signature] = (await signSet(stack.auth, 'deputy-router', valid())).split('.');
          const payload = Buffer.from(JSON.stringify({ iss: stack.auth.issuer, aud: 'deputy-router', iat: nowSeconds(), jti: 'x', events: claimsChanged(stack.auth, 'bob') })).toString('base64url');
          return pushSet(events, `${header}.${payload}.${signature}`);
        },
        400,
        'invalid_key',
      ],
      ['another issuer', async () => pushSet(events, await signSet(stack.auth, 'deputy-router', valid(), { iss: 'http://127.0.0.1:1/other-issuer' })), 400, 'invalid_issuer'],
      ["a subgraph's audience", async () => push(valid(), 'inventory'), 400, 'invalid_audience'],
      ['an access token instead of a SET (typ at+jwt)', async () => pushSet(events, await signSet(stack.auth, 'deputy-router', valid(), {}, { typ: 'at+jwt' })), 400, 'invalid_request'],
      ['another content type', async () => pushSet(events, await signSet(stack.auth, 'deputy-router', valid()), 'application/json'), 400, 'invalid_request'],
      ['a malformed body', async () => pushSet(events, 'this.is.not-a-jwt'), 400, 'invalid_request'],
      ['a SET without jti', async () => pushSet(events, await signSet(stack.auth, 'deputy-router', valid(), { jti: undefined })), 400, 'invalid_request'],
      ['a SET issued in the future', async () => pushSet(events, await signSet(stack.auth, 'deputy-router', valid(), { iat: nowSeconds() + 3600 })), 400, 'invalid_request'],
      ['a subject of another issuer', async () => push({ [TOKEN_CLAIMS_CHANGE]: { subject: { format: 'iss_sub', iss: 'http://elsewhere.test', sub: 'bob' } } }), 400, 'invalid_request'],
      ['an oversized body', async () => pushSet(events, 'a'.repeat(65 * 1024)), 413, 'invalid_request'],
    ];
    it.each(cases)('%s', async (_case, send, status, err) => {
      const audits = revocationAudits().length;
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ err, description: expect.any(String) });
      expect(revocationAudits().length).toBe(audits);
    });

    it('a GET, with 405 and Allow: POST', async () => {
      const response = await fetch(events);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    });

    it('and bob, whom every refused SET named, is still served', async () => {
      expect((await ask(await sessionToken(stack.auth, 'bob', 'bob-s1'))).status).toBe(200);
    });
  });

  it('counts pushed SETs by outcome in /metrics, and never names a user there', async () => {
    await push(sessionRevoked(stack.auth, 'erin', `erin-${randomUUID()}`));
    const metrics = await (await fetch(stack.router.metricsUrl)).text();
    expect(sample(metrics, 'deputy_security_events_total{outcome="applied"}')).toBeGreaterThanOrEqual(4);
    expect(sample(metrics, 'deputy_security_events_total{outcome="duplicate"}')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'deputy_security_events_total{outcome="invalid_key"}')).toBeGreaterThanOrEqual(2);
    expect(sample(metrics, 'deputy_security_events_total{outcome="invalid_audience"}')).toBeGreaterThanOrEqual(1);
    expect(metrics).not.toMatch(/erin|alice-s1/);
  });
});
