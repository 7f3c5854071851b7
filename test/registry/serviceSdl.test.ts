import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, claimsOf, type TestAuth } from '../helpers/startAuth.js';
import { routerDelegation } from '../helpers/delegatedTokens.js';
import { postGraphQL } from '../helpers/graphql.js';
import { freePort } from '../helpers/freePort.js';
import { buildSubgraph } from '../../subgraphs/buildSubgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/lib/startSubgraph.js';
import { securityFromEnv } from '../../subgraphs/lib/securityFromEnv.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';
import { createServiceSdlReader } from '../../router/registry/createServiceSdlReader.js';
import { serviceSdlTokensFor } from '../../router/registry/serviceSdlTokens.js';
import { fetchServiceSdl } from '../../registry/checks/fetchServiceSdl.js';
import type { ServiceSdlError } from '../../registry/checks/serviceSdlError.js';
import { discoverIssuer } from '../../lib/discoverIssuer.js';

// The registry reads a running subgraph's SDL before a publish becomes current: the router gets
// a client-credentials token for the subgraph's audience from the real authorization server, and
// the real products subgraph, secured from its environment as `npm start` runs it, lets that
// token read `_service { sdl }` and nothing else.

describe("reading a running subgraph's SDL with the router's own token", () => {
  let auth: TestAuth;
  let products: RunningSubgraph;
  let tokenEndpoint: string;

  /** The router's configuration as the tests' stacks write it, with `changes` to the raw YAML. */
  const routerConfig = (changes: { exchange?: Record<string, unknown>; subgraphs?: Record<string, unknown> } = {}) =>
    parseRouterConfig(
      {
        mode: 'development',
        auth: { issuer: auth.issuer },
        exchange: { clientSecret: auth.secret('deputy-router'), ...changes.exchange },
        subgraphs: { products: { url: products.url }, ...changes.subgraphs },
      },
      'test router config',
    );
  const tokenFor = async (subgraph: string, config = routerConfig()) => (await (await serviceSdlTokensFor(config, tokenEndpoint)).tokenFor(subgraph)).token;
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ServiceSdlError);

  beforeAll(async () => {
    auth = await startAuth();
    tokenEndpoint = (await discoverIssuer(auth.issuer)).token_endpoint;
    // As subgraphs/main.ts starts it: security from the environment npm start passes.
    const security = await securityFromEnv('products', auth.env);
    products = await startSubgraph({ name: 'products', schema: buildSubgraph('products').schema, verifier: security.verifier, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await products?.stop();
    await auth?.stop();
  });

  it('reads the SDL of the running products subgraph through createServiceSdlReader', async () => {
    const read = await createServiceSdlReader(routerConfig(), tokenEndpoint);
    const sdl = await read('products', products.url);
    expect(sdl).toContain('type Product');
    expect(sdl).toContain('topProducts');
  });

  it('names the subgraph by resource indicator when exchange.targetParameter says so', async () => {
    const config = routerConfig({ exchange: { targetParameter: 'resource' }, subgraphs: { products: { url: products.url, audience: 'urn:deputy:subgraph:products' } } });
    expect(await (await createServiceSdlReader(config, tokenEndpoint))('products', products.url)).toContain('type Product');
  });

  it('uses a token of the router itself: its audience only, no act, no scope', async () => {
    const claims = claimsOf(await tokenFor('products'));
    expect(claims).toMatchObject({ aud: 'products', sub: 'deputy-router', client_id: 'deputy-router' });
    expect([claims.act, claims.scope]).toEqual([undefined, undefined]);
  });

  it.each([
    ['a real field', '{ topProducts { upc } }'],
    ['introspection', '{ __schema { types { name } } }'],
  ])('refuses the same token %s: 401 UNAUTHENTICATED not_delegated', async (_what, query) => {
    const response = await postGraphQL(products.url, { query }, { authorization: `Bearer ${await tokenFor('products')}` });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', reason: 'not_delegated' } })] });
  });

  it("still serves a user's delegated token", async () => {
    const delegated = await routerDelegation(auth, await auth.userToken('alice'), 'products', 'products:read');
    const response = await postGraphQL(products.url, { query: '{ topProducts(first: 1) { upc } }' }, { authorization: `Bearer ${delegated}` });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ data: { topProducts: [{ upc: expect.any(String) }] } });
  });

  it("refuses the router's token for another audience as SERVICE_REFUSED: HTTP 401, wrong_audience, no token in the message", async () => {
    const inventory = await tokenFor('inventory');
    const error = await failure(fetchServiceSdl(products.url, inventory));
    expect(error).toMatchObject({ code: 'SERVICE_REFUSED', reason: 'http_401', status: 401, serviceReason: 'UNAUTHENTICATED/wrong_audience', url: products.url });
    expect(error?.message).toContain(products.url);
    expect(error?.message).not.toContain(inventory);
  });

  it('reports a closed port as SERVICE_UNREACHABLE', async () => {
    const url = `http://127.0.0.1:${await freePort()}/graphql`;
    const error = await failure(fetchServiceSdl(url, await tokenFor('products'), { timeoutMs: 2000 }));
    expect(error).toMatchObject({ code: 'SERVICE_UNREACHABLE', reason: 'unreachable', url });
  });

  it('refuses with DELEGATION_DENIED when no token can be had: a wrong client secret, an audience the server does not know', async () => {
    const wrongSecret = await createServiceSdlReader(routerConfig({ exchange: { clientSecret: 'not-the-secret' } }), tokenEndpoint);
    await expect(wrongSecret('products', products.url)).rejects.toMatchObject({ code: 'DELEGATION_DENIED', reason: 'invalid_client' });
    const read = await createServiceSdlReader(routerConfig({ subgraphs: { billing: { url: products.url } } }), tokenEndpoint);
    await expect(read('billing', products.url)).rejects.toMatchObject({ code: 'DELEGATION_DENIED', reason: 'invalid_target' });
  });

  it('lets only the router client DEPUTY_ROUTER_CLIENT_ID names read: another one is refused not_delegated', async () => {
    const security = await securityFromEnv('products', { ...auth.env, DEPUTY_ROUTER_CLIENT_ID: 'another-router' });
    await expect(security.verifier!.verify(await tokenFor('products'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'not_delegated' });
  });
});
