import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { createIntrospection } from '../../../router/revocation/createIntrospection.js';
import { introspectedIdentity } from '../../../router/revocation/introspectedIdentity.js';
import { clientSecretBasic } from '../../../router/delegation/clientAuthentication.js';
import type { TokenTransport } from '../../../router/delegation/tokenTransport.js';
import { createCallerAuthenticator } from '../../../router/edge/authenticateCaller.js';
import { fingerprint } from '../../../lib/fingerprint.js';

// Unit tests: the introspection endpoint is a transport function, so no connection is opened.

const NOW = Math.floor(Date.now() / 1000);
const POLICY = { issuer: 'http://issuer.test', audience: 'deputy-router', clockToleranceSeconds: 5 };
const ACTIVE = { active: true, iss: 'http://issuer.test', aud: 'deputy-router', sub: 'alice', client_id: 'web-app', scope: 'accounts:read reviews:read', exp: NOW + 300, iat: NOW - 10, jti: 'opaque-1' };
const refusal = (reason: string) => expect.objectContaining({ code: 'UNAUTHENTICATED', reason });

function endpoint(answer: () => { status: number; body: unknown }) {
  const calls: { headers: Record<string, string>; body: URLSearchParams }[] = [];
  const transport: TokenTransport = vi.fn(async (_url, headers, body) => {
    calls.push({ headers, body });
    const { status, body: payload } = answer();
    return { status, text: typeof payload === 'string' ? payload : JSON.stringify(payload) };
  });
  const client = { endpoint: 'http://issuer.test/token/introspection', authenticate: clientSecretBasic('deputy-router', 'secret'), transport, timeoutMs: 1000 };
  return { calls, client };
}

describe('introspectedIdentity', () => {
  it("describes an active opaque token as the issuer does: subject, client, scopes, expiry, claims", () => {
    expect(introspectedIdentity(ACTIVE, POLICY)).toMatchObject({ sub: 'alice', clientId: 'web-app', scopes: ['accounts:read', 'reviews:read'], exp: NOW + 300, jti: 'opaque-1', claims: { iat: NOW - 10 } });
  });

  it.each([
    ['an inactive token', { active: false }, 'token_revoked'],
    ['active given as a string', { ...ACTIVE, active: 'true' }, 'token_revoked'],
    ['another issuer', { ...ACTIVE, iss: 'http://elsewhere.test' }, 'wrong_issuer'],
    ['another audience', { ...ACTIVE, aud: ['inventory'] }, 'wrong_audience'],
    ['no audience', { ...ACTIVE, aud: undefined }, 'wrong_audience'],
    ['no expiry', { ...ACTIVE, exp: undefined }, 'missing_claim'],
    ['an expired token', { ...ACTIVE, exp: NOW - 60 }, 'token_expired'],
    ['a token not valid yet', { ...ACTIVE, nbf: NOW + 60 }, 'not_yet_valid'],
    ['no subject', { ...ACTIVE, sub: undefined }, 'missing_claim'],
    ['no client', { ...ACTIVE, client_id: '' }, 'missing_claim'],
  ])('refuses %s', (_case, answer, reason) => {
    expect(() => introspectedIdentity(answer as Record<string, unknown>, POLICY)).toThrow(refusal(reason));
  });
});

describe('createIntrospection', () => {
  it('posts the token with its hint, authenticated as the router, and reuses the answer for cacheSeconds', async () => {
    const { calls, client } = endpoint(() => ({ status: 200, body: ACTIVE }));
    const introspection = createIntrospection(client, POLICY, 10);
    await introspection.identify('opaque-token', 'k1');
    await introspection.confirmActive('opaque-token', 'k1');
    expect(calls).toHaveLength(1);
    expect(calls[0].headers.authorization).toBe(`Basic ${Buffer.from('deputy-router:secret').toString('base64')}`);
    expect(Object.fromEntries(calls[0].body)).toEqual({ token: 'opaque-token', token_type_hint: 'access_token' });
  });

  it('asks again once the cache time has passed, and every time with cacheSeconds 0', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { calls, client } = endpoint(() => ({ status: 200, body: ACTIVE }));
      const cached = createIntrospection(client, POLICY, 2);
      await cached.confirmActive('t', 'k');
      vi.setSystemTime(Date.now() + 2500);
      await cached.confirmActive('t', 'k');
      expect(calls).toHaveLength(2);
      const uncached = createIntrospection(client, POLICY, 0);
      await uncached.confirmActive('t', 'k');
      await uncached.confirmActive('t', 'k');
      expect(calls).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shares one call between concurrent requests with the same token', async () => {
    const { calls, client } = endpoint(() => ({ status: 200, body: ACTIVE }));
    const introspection = createIntrospection(client, POLICY, 10);
    await Promise.all([1, 2, 3].map(() => introspection.identify('t', 'k')));
    expect(calls).toHaveLength(1);
  });

  it('refuses an inactive token as token_revoked, and remembers that for cacheSeconds', async () => {
    const { calls, client } = endpoint(() => ({ status: 200, body: { active: false } }));
    const introspection = createIntrospection(client, POLICY, 10);
    await expect(introspection.confirmActive('t', 'k')).rejects.toEqual(refusal('token_revoked'));
    await expect(introspection.identify('t', 'k')).rejects.toEqual(refusal('token_revoked'));
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['answers 500', { status: 500, body: 'oops' }],
    ['answers 401', { status: 401, body: { error: 'invalid_client' } }],
    ['answers what is not JSON', { status: 200, body: '<html>' }],
    ['answers a JSON array', { status: 200, body: [] }],
  ])('fails closed (introspection_unavailable) when the endpoint %s, and asks again next time', async (_case, answer) => {
    const { calls, client } = endpoint(() => answer);
    const introspection = createIntrospection(client, POLICY, 10);
    await expect(introspection.confirmActive('t', 'k')).rejects.toEqual(refusal('introspection_unavailable'));
    await expect(introspection.confirmActive('t', 'k')).rejects.toEqual(refusal('introspection_unavailable'));
    expect(calls).toHaveLength(2);
  });
});

describe('the edge with introspection', () => {
  const request = (token: string) => ({ headersDistinct: { authorization: [`Bearer ${token}`] } }) as unknown as IncomingMessage;
  const noKeys = async () => Promise.reject(new Error('a JWT was not expected here'));
  const policy = { ...POLICY, algorithms: ['ES256'], keys: noKeys };

  it('accepts an opaque token through introspection alone, keyed by its fingerprint', async () => {
    const { client } = endpoint(() => ({ status: 200, body: ACTIVE }));
    const authenticate = createCallerAuthenticator(policy, false, { introspection: createIntrospection(client, POLICY, 10) });
    const caller = await authenticate(request('an-opaque-token'));
    expect(caller).toMatchObject({ sub: 'alice', clientId: 'web-app', fingerprint: fingerprint('an-opaque-token') });
  });

  it("refuses an opaque client's own token as not_a_user", async () => {
    const { client } = endpoint(() => ({ status: 200, body: { ...ACTIVE, sub: 'web-app' } }));
    const authenticate = createCallerAuthenticator(policy, false, { introspection: createIntrospection(client, POLICY, 10) });
    await expect(authenticate(request('an-opaque-token'))).rejects.toEqual(refusal('not_a_user'));
  });

  it('refuses an opaque token without introspection as malformed', async () => {
    const authenticate = createCallerAuthenticator(policy, false);
    await expect(authenticate(request('an-opaque-token'))).rejects.toEqual(refusal('malformed_token'));
  });
});
