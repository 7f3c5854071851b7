import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';

// RFC 7662 introspection at the edge, for issuers whose tokens are opaque or that cannot push
// events. The embedded authorization server does not offer introspection (and is not changed
// here), so a small RFC 7662 endpoint of this test answers for it: active for the real issuer's
// tokens unless told otherwise, and for the opaque tokens it is given.

interface FakeIntrospection {
  url: string;
  /** Each request: its Authorization header and form fields. */
  requests: { headers: IncomingHttpHeaders; form: Record<string, string> }[];
  /** Answers by token; a JWT not listed is active with its own claims. */
  answers: Map<string, Record<string, unknown> | 'error'>;
  stop(): Promise<void>;
}

async function startFakeIntrospection(): Promise<FakeIntrospection> {
  const requests: FakeIntrospection['requests'] = [];
  const answers: FakeIntrospection['answers'] = new Map();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({ headers: req.headers, form });
      const answer = answers.get(form.token) ?? (form.token?.split('.').length === 3 ? { active: true, ...claimsOf(form.token) } : { active: false });
      if (answer === 'error') return void res.writeHead(500).end('down');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`, requests, answers, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the edge introspecting tokens (RFC 7662)', () => {
  let stack: TestStack;
  let introspection: FakeIntrospection;
  let cached: RunningRouter;
  let raw: Record<string, unknown>;
  const ask = (url: string, token: string, query = '{ topProducts { name } }') => postGraphQL(url, { query }, { authorization: `Bearer ${token}` });
  const callsFor = (token: string) => introspection.requests.filter((request) => request.form.token === token).length;
  const opaque = () => `opaque-${randomBytes(16).toString('hex')}`;
  const described = (extra: Record<string, unknown> = {}) => ({
    active: true,
    iss: stack.auth.issuer,
    aud: 'deputy-router',
    sub: 'alice',
    client_id: 'web-app',
    scope: 'products:read',
    exp: Math.floor(Date.now() / 1000) + 300,
    ...extra,
  });

  beforeAll(async () => {
    introspection = await startFakeIntrospection();
    stack = await startStack({
      routerConfig: (config) => (raw = { ...config, revocation: { introspection: { enabled: true, endpoint: introspection.url, cacheSeconds: 0 } } }),
    });
    cached = await startRouter(parseRouterConfig({ ...raw, revocation: { introspection: { enabled: true, endpoint: introspection.url, cacheSeconds: 60 } } }, 'cached introspection'));
  });
  afterAll(async () => {
    await cached?.stop();
    await stack?.stop();
    await introspection?.stop();
  });

  it("serves a token its issuer says is active, asking as the router with the token's hint", async () => {
    const alice = await stack.auth.userToken('alice');
    const served = await ask(stack.router.url, alice);
    expect(served.status).toBe(200);
    expect(served.json()).not.toHaveProperty('errors');
    const [request] = introspection.requests.filter((candidate) => candidate.form.token === alice);
    expect(request.form.token_type_hint).toBe('access_token');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`deputy-router:${stack.auth.secret('deputy-router')}`).toString('base64')}`);
  });

  it('refuses a token with 401 token_revoked as soon as its issuer says it is inactive, reaching no subgraph', async () => {
    const bob = await stack.auth.userToken('bob');
    expect((await ask(stack.router.url, bob)).status).toBe(200);
    introspection.answers.set(bob, { active: false });
    const received = stack.received.length;
    const refused = await ask(stack.router.url, bob);
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'token_revoked' } }] });
    expect(stack.received.length).toBe(received);
  });

  it('reuses an answer for cacheSeconds: two requests with one token, one introspection', async () => {
    const carol = await stack.auth.userToken('carol');
    expect((await ask(cached.url, carol)).status).toBe(200);
    expect((await ask(cached.url, carol)).status).toBe(200);
    expect(callsFor(carol)).toBe(1);
  });

  it('accepts an opaque token as its issuer describes it', async () => {
    const token = opaque();
    introspection.answers.set(token, described());
    const served = await ask(stack.router.url, token, '{ __typename }');
    expect(served.status).toBe(200);
    expect(served.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it.each([
    ['an inactive opaque token', { active: false }, 'token_revoked'],
    ['an opaque token for another audience', { aud: 'inventory' }, 'wrong_audience'],
    ['an opaque token of another issuer', { iss: 'http://elsewhere.test' }, 'wrong_issuer'],
    ["an opaque client's own token", { sub: 'web-app' }, 'not_a_user'],
    ['an expired opaque token', { exp: Math.floor(Date.now() / 1000) - 600 }, 'token_expired'],
  ])('refuses %s (401 %s)', async (_case, answer, reason) => {
    const token = opaque();
    introspection.answers.set(token, 'active' in answer ? answer : described(answer));
    const refused = await ask(stack.router.url, token, '{ __typename }');
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason } }] });
  });

  it('fails closed with 401 introspection_unavailable when the endpoint fails', async () => {
    const token = await stack.auth.userToken('alice', 'openid products:read');
    introspection.answers.set(token, 'error');
    const refused = await ask(stack.router.url, token);
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'introspection_unavailable' } }] });
  });
});
