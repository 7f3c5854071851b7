import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, isObjectType } from 'graphql';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { freePort } from '../helpers/freePort.js';
import { startRouter } from '../../router/startRouter.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';
import { createRoutedServer } from '../../lib/http/createRoutedServer.js';
import { close, listen } from '../../lib/http/listen.js';
import { remoteKeys } from '../../lib/verifyAccessToken.js';
import { createCallerAuthenticator } from '../../router/edge/authenticateCaller.js';
import { edgeTokenPolicy } from '../../router/edge/edgeTokenPolicy.js';
import { consoleSchemaRoute } from '../../router/console/consoleSchemaRoute.js';

// GET /console/schema: the API schema for the console's autocomplete and docs, to a signed-in
// user, on a router whose /graphql denies introspection. Every refusal carries its code, and a
// refused token reads exactly as /graphql's refusal of it.

const now = () => Math.floor(Date.now() / 1000);
type ErrorBody = { errors: { extensions: { code: string; reason?: string } }[] };

describe('GET /console/schema', () => {
  let stack: TestStack;
  let raw: Record<string, unknown> = {};
  let schemaUrl = '';
  let alice = '';
  const get = (token?: string, init: RequestInit = {}) => fetch(schemaUrl, { ...init, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const userClaims = (changes: Record<string, unknown> = {}) => ({ iss: stack.auth.issuer, sub: 'alice', aud: 'deputy-router', client_id: 'web-app', scope: 'products:read', iat: now(), exp: now() + 300, jti: randomUUID(), ...changes });

  beforeAll(async () => {
    stack = await startStack({ routerConfig: (config) => (raw = { ...config, limits: { introspection: 'deny' } }) });
    schemaUrl = stack.router.url.replace(/\/graphql$/, '/console/schema');
    alice = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it("answers a signed-in user the API schema as SDL, never cached: the demo's root fields, no join__ or link__", async () => {
    const response = await get(alice);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const sdl = await response.text();
    expect(sdl).toContain('type Query {');
    expect(sdl).toContain('topProducts(first: Int = 5): [Product]');
    expect(sdl).toContain("Adds a review written by the caller (the token's subject)");
    expect(sdl).not.toMatch(/join__|link__|@link|@join|federation__/);
    const schema = buildSchema(sdl);
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(['me', 'topProducts', 'user', 'users']);
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(['addReview', 'setPrice', 'setStock']);
    const product = schema.getType('Product');
    expect(isObjectType(product) && Object.keys(product.getFields())).toEqual(expect.arrayContaining(['upc', 'name', 'inStock', 'reviews']));
  });

  it('serves the schema while /graphql refuses introspection (limits.introspection: deny)', async () => {
    const introspection = await postGraphQL(stack.router.url, { query: '{ __schema { queryType { name } } }' }, { authorization: `Bearer ${alice}` });
    expect(introspection.status).toBe(400);
    expect((introspection.json() as ErrorBody).errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
    expect((await get(alice)).status).toBe(200);
  });

  it('answers HEAD with the same headers and no body', async () => {
    const response = await get(alice, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(await (await get(alice)).text()));
    expect(await response.text()).toBe('');
  });

  it.each([
    ['no token', () => undefined, 'missing_token'],
    ['a token that is no JWT', () => 'not-a-jwt', 'malformed_token'],
    ['a token for another audience', () => stack.auth.signAsIssuer(userClaims({ aud: 'products' })), 'wrong_audience'],
    ['an expired token', () => stack.auth.signAsIssuer(userClaims({ iat: now() - 600, exp: now() - 300 })), 'token_expired'],
    ["a client's own token", () => stack.auth.signAsIssuer(userClaims({ sub: 'web-app' })), 'not_a_user'],
  ])('refuses %s with 401 UNAUTHENTICATED (%s), the challenge and the body /graphql sends for it', async (_case, token, reason) => {
    const sent = await token();
    const refused = await get(sent);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const body = (await refused.json()) as ErrorBody;
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
    const graphql = await postGraphQL(stack.router.url, { query: '{ __typename }' }, sent === undefined ? {} : { authorization: `Bearer ${sent}` });
    expect([graphql.status, graphql.json()]).toEqual([401, body]);
  });

  it('refuses a header that is not a Bearer token with 401 not_bearer', async () => {
    const refused = await fetch(schemaUrl, { headers: { authorization: `Basic ${Buffer.from('alice:alice').toString('base64')}` } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as ErrorBody).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'not_bearer' });
  });

  it('refuses another method than GET or HEAD with 405 METHOD_NOT_ALLOWED and Allow', async () => {
    const refused = await get(alice, { method: 'POST' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('GET, HEAD');
    expect(((await refused.json()) as ErrorBody).errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('is no route where the console is off (404 NOT_FOUND), even to a signed-in user', async () => {
    const router = await startRouter(parseRouterConfig({ ...raw, listen: { host: '127.0.0.1', port: 0 }, console: { enabled: false } }, 'console off'));
    try {
      const response = await fetch(router.url.replace(/\/graphql$/, '/console/schema'), { headers: { authorization: `Bearer ${alice}` } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as ErrorBody).errors[0].extensions.code).toBe('NOT_FOUND');
    } finally {
      await router.stop();
    }
  });

  it('answers 503 NOT_READY with Retry-After while the router waits for its issuer', async () => {
    const port = await freePort();
    const stopping = new AbortController();
    const config = parseRouterConfig({ ...raw, listen: { host: '127.0.0.1', port }, auth: { issuer: `http://127.0.0.1:${await freePort()}` } }, 'issuer down');
    const starting = startRouter(config, { signal: stopping.signal }).catch((error: unknown) => error);
    try {
      let response: Response | undefined;
      // The listener opens after observability starts: ask until it answers.
      await expect.poll(async () => (response = await fetch(`http://127.0.0.1:${port}/console/schema`, { headers: { authorization: `Bearer ${alice}` } }).catch(() => undefined))?.status).toBe(503);
      expect(response!.headers.get('retry-after')).toBe('1');
      expect(((await response!.json()) as ErrorBody).errors[0].extensions.code).toBe('NOT_READY');
    } finally {
      stopping.abort();
      await starting;
    }
  });

  it('answers 503 NOT_READY with Retry-After to a signed-in user before a supergraph is loaded', async () => {
    const authenticate = createCallerAuthenticator(edgeTokenPolicy(stack.config.auth, remoteKeys(`${stack.auth.issuer}/jwks`)), false);
    const server = createRoutedServer({ '/console/schema': consoleSchemaRoute(authenticate, () => undefined) });
    const port = await listen(server, '127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${port}/console/schema`;
      expect((await fetch(base)).status).toBe(401);
      const response = await fetch(base, { headers: { authorization: `Bearer ${alice}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as ErrorBody).errors[0].extensions.code).toBe('NOT_READY');
    } finally {
      await close(server);
    }
  });
});
