import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { foreignToken, unsignedToken } from '../helpers/forgeToken.js';
import { rawPost } from '../helpers/rawRequest.js';

// Every malformed, forged or misdirected token at the router edge and at each subgraph gets a
// 401 with code UNAUTHENTICATED and its own stable reason, and costs no exchange and no fetch.

type Forge = (audience: string) => Promise<string> | string;
interface TokenCase {
  name: string;
  forge: Forge;
  reason: string;
}

const now = () => Math.floor(Date.now() / 1000);
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokens refused at the router edge and at every subgraph', () => {
  let stack: TestStack;
  let listener: Server;
  let listenerHits = 0;
  let listenerUrl = '';
  let realKid = '';
  let publicJwk: Record<string, unknown> = {};

  beforeAll(async () => {
    stack = await startStack();
    listener = createServer((_req, res) => {
      listenerHits += 1;
      res.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerUrl = `http://127.0.0.1:${(listener.address() as { port: number }).port}/jwks`;
    const jwks = (await (await fetch(`${stack.auth.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    publicJwk = jwks.keys[0];
    realKid = String(publicJwk.kid);
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => listener?.close(resolve));
  });

  // A user's token at the router; at a subgraph, the router's delegation of it (act = the router).
  const delegated = (audience: string) => (audience === 'deputy-router' || audience === 'web-app' ? { client_id: 'web-app' } : { client_id: 'deputy-router', act: { sub: 'deputy-router' } });
  const claims = (audience: string, changes: Record<string, unknown> = {}) => ({
    iss: stack.auth.issuer,
    sub: 'alice',
    aud: audience,
    ...delegated(audience),
    scope: 'accounts:read',
    iat: now(),
    exp: now() + 300,
    jti: randomUUID(),
    ...changes,
  });
  const issuer = (audience: string, changes: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    stack.auth.signAsIssuer(claims(audience, changes), header);
  const hmacWithPublicKey = (audience: string) => {
    const secret = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const unsigned = `${encode({ alg: 'HS256', typ: 'at+jwt', kid: realKid })}.${encode(claims(audience))}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  };

  const CASES: TokenCase[] = [
    { name: 'alg none', forge: (aud) => unsignedToken(claims(aud), { kid: realKid }), reason: 'alg_not_allowed' },
    { name: 'HS256 signed with the public key as the secret', forge: hmacWithPublicKey, reason: 'alg_not_allowed' },
    { name: 'an unknown kid', forge: (aud) => foreignToken(claims(aud), { kid: 'no-such-key' }), reason: 'unknown_key' },
    { name: 'a kid holding a path', forge: (aud) => foreignToken(claims(aud), { kid: '../../../../etc/passwd' }), reason: 'unknown_key' },
    { name: 'a kid holding SQL', forge: (aud) => foreignToken(claims(aud), { kid: "x' OR '1'='1' --" }), reason: 'unknown_key' },
    { name: 'jku pointing at a local listener', forge: (aud) => foreignToken(claims(aud), { kid: 'attacker', jku: listenerUrl }), reason: 'unknown_key' },
    { name: 'x5u pointing at a local listener', forge: (aud) => foreignToken(claims(aud), { kid: 'attacker', x5u: listenerUrl }), reason: 'unknown_key' },
    { name: 'an expired token', forge: (aud) => issuer(aud, { iat: now() - 600, exp: now() - 60 }), reason: 'token_expired' },
    { name: 'nbf in the future', forge: (aud) => issuer(aud, { nbf: now() + 3600 }), reason: 'not_yet_valid' },
    { name: 'iat far in the future', forge: (aud) => issuer(aud, { iat: now() + 86_400, exp: now() + 90_000 }), reason: 'issued_in_future' },
    { name: 'iss with a trailing slash', forge: (aud) => issuer(aud, { iss: `${stack.auth.issuer}/` }), reason: 'wrong_issuer' },
    { name: 'iss over https instead of http', forge: (aud) => issuer(aud, { iss: stack.auth.issuer.replace('http:', 'https:') }), reason: 'wrong_issuer' },
    { name: 'aud of another service', forge: (aud) => issuer(aud === 'reviews' ? 'accounts' : 'reviews'), reason: 'wrong_audience' },
    { name: 'an ID token (typ JWT, aud the web app)', forge: () => issuer('web-app', { nonce: 'n', auth_time: now() }, { typ: 'JWT' }), reason: 'wrong_type' },
    { name: 'a token without typ at+jwt', forge: (aud) => issuer(aud, {}, { typ: undefined }), reason: 'wrong_type' },
    { name: 'a token without client_id', forge: (aud) => issuer(aud, { client_id: undefined }), reason: 'missing_claim' },
    { name: 'a foreign key reusing the real kid', forge: (aud) => foreignToken(claims(aud), { kid: realKid }), reason: 'invalid_signature' },
    { name: 'a truncated token', forge: async (aud) => (await issuer(aud)).slice(0, 60), reason: 'malformed_token' },
    { name: 'a token with its signature cut short', forge: async (aud) => (await issuer(aud)).slice(0, -10), reason: 'invalid_signature' },
    { name: 'a 10 KB token', forge: async (aud) => `${await issuer(aud)}${'A'.repeat(10_000)}`, reason: 'token_too_large' },
    { name: 'garbage base64 segments', forge: () => 'bm90.YSBqd3Q.Z2FyYmFnZQ', reason: 'malformed_token' },
    { name: 'characters outside the token alphabet', forge: () => 'not*a$token', reason: 'not_bearer' },
  ];

  const TARGETS = ['router', 'accounts', 'products', 'inventory', 'reviews'] as const;
  const targetOf = (name: (typeof TARGETS)[number]) =>
    name === 'router'
      ? { url: stack.router.url, audience: 'deputy-router' }
      : { url: stack.subgraphs.find((subgraph) => subgraph.name === name)!.url, audience: name };
  const body = JSON.stringify({ query: '{ __typename }' });

  const expectRefused = async (url: string, headers: [string, string][], reason: string, token?: string) => {
    const exchangesBefore = stack.auth.exchanges();
    const fetchesBefore = stack.received.length;
    const response = await rawPost(url, headers, body);
    expect(response.status).toBe(401);
    const parsed = JSON.parse(response.text) as { errors: { extensions: Record<string, unknown> }[] };
    expect(parsed.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    if (token) expect(response.text).not.toContain(token.split('.')[1] || token);
    expect(stack.auth.exchanges()).toBe(exchangesBefore);
    // The only subgraph request counted is the one this test sent itself.
    expect(stack.received.length - fetchesBefore).toBe(url === stack.router.url ? 0 : 1);
  };

  describe.each(TARGETS)('at %s', (name) => {
    it.each(CASES)('refuses $name with reason $reason', async ({ forge, reason }) => {
      const { url, audience } = targetOf(name);
      const token = await forge(audience);
      await expectRefused(url, [['authorization', `Bearer ${token}`]], reason, token);
    });

    it('refuses a request without a token (missing_token)', async () => {
      await expectRefused(targetOf(name).url, [], 'missing_token');
    });

    it('refuses two Authorization headers (duplicate_authorization)', async () => {
      const { url, audience } = targetOf(name);
      const token = await issuer(audience);
      await expectRefused(url, [['authorization', `Bearer ${token}`], ['authorization', `Bearer ${token}`]], 'duplicate_authorization', token);
    });

    it('refuses another scheme (not_bearer)', async () => {
      await expectRefused(targetOf(name).url, [['authorization', 'Basic YWxpY2U6YWxpY2U=']], 'not_bearer');
    });

    it('answers a 1 MB token with 431 HEADERS_TOO_LARGE before any handler runs', async () => {
      const response = await rawPost(targetOf(name).url, [['authorization', `Bearer ${'A'.repeat(1024 * 1024)}`]], body);
      expect(response.status).toBe(431);
      expect(JSON.parse(response.text)).toMatchObject({ errors: [{ extensions: { code: 'HEADERS_TOO_LARGE' } }] });
    });

    it('accepts a token that is flawless (the cases above differ from it in one thing only)', async () => {
      const { url, audience } = targetOf(name);
      const response = await rawPost(url, [['authorization', `Bearer ${await issuer(audience)}`]], body);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ data: { __typename: 'Query' } });
    });
  });

  // Valid signatures, wrong shape of delegation: a subgraph takes only a user's token delegated by
  // the router (or a broker caller the policy lets call it); the router takes only users' tokens.
  const SUBGRAPHS = ['accounts', 'products', 'inventory', 'reviews'] as const;
  it.each(SUBGRAPHS)('refuses at %s a token with no act chain (not_delegated)', async (name) => {
    const token = await issuer(name, { act: undefined, client_id: 'web-app' });
    await expectRefused(targetOf(name).url, [['authorization', `Bearer ${token}`]], 'not_delegated', token);
  });
  it.each(SUBGRAPHS)("refuses at %s a service's own client-credentials token for it (not_delegated)", async (name) => {
    const token = await issuer(name, { sub: 'products-service', client_id: 'products-service', act: undefined });
    await expectRefused(targetOf(name).url, [['authorization', `Bearer ${token}`]], 'not_delegated', token);
  });
  it.each(SUBGRAPHS)("refuses at %s the router's own token delegated by the router (not_delegated)", async (name) => {
    const token = await issuer(name, { sub: 'deputy-router', client_id: 'deputy-router' });
    await expectRefused(targetOf(name).url, [['authorization', `Bearer ${token}`]], 'not_delegated', token);
  });
  it.each(SUBGRAPHS)("serves at %s the router's own token `_service { sdl }` only: anything else is refused (not_delegated)", async (name) => {
    const token = await issuer(name, { sub: 'deputy-router', client_id: 'deputy-router', act: undefined });
    const ask = (query: string) => rawPost(targetOf(name).url, [['authorization', `Bearer ${token}`]], JSON.stringify({ query }));
    const sdl = await ask('{ _service { sdl } }');
    expect(sdl.status).toBe(200);
    expect(JSON.parse(sdl.text)).toMatchObject({ data: { _service: { sdl: expect.stringContaining('type Query') } } });
    const refused = await ask('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }');
    expect(refused.status).toBe(401);
    expect((JSON.parse(refused.text) as { errors: { extensions: unknown }[] }).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'not_delegated' });
  });
  it.each(SUBGRAPHS)('refuses at %s a delegation whose last actor is a service the broker policy does not let call it (actor_not_allowed)', async (name) => {
    const token = await issuer(name, { client_id: 'inventory-service', act: { sub: 'inventory-service', act: { sub: 'deputy-router' } } });
    await expectRefused(targetOf(name).url, [['authorization', `Bearer ${token}`]], 'actor_not_allowed', token);
  });
  it("refuses at the router a client's own token (not_a_user)", async () => {
    const token = await issuer('deputy-router', { sub: 'accounts-service', client_id: 'accounts-service' });
    await expectRefused(stack.router.url, [['authorization', `Bearer ${token}`]], 'not_a_user', token);
  });
  it('accepts at reviews a direct delegation by accounts-service, which the broker policy lets call reviews', async () => {
    const token = await issuer('reviews', { client_id: 'accounts-service', act: { sub: 'accounts-service', act: { sub: 'deputy-router' } } });
    expect((await rawPost(targetOf('reviews').url, [['authorization', `Bearer ${token}`]], body)).status).toBe(200);
  });

  it('never contacted the jku/x5u listener', () => {
    expect(listenerHits).toBe(0);
  });
});
