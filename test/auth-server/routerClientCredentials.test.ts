import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, startAuth, type TestAuth } from '../helpers/startAuth.js';
import { routerDelegation, serviceToken } from '../helpers/delegatedTokens.js';
import { withAudiences } from '../../auth-server/withAudiences.js';

// The router's own client credentials (README.md "The authorization server"): a token for each
// subgraph audience, with no scope, so the registry can read a running service's SDL; nothing
// for any other audience, and its exchanges as before.

const SHIPPING = { audience: 'shipping', resources: ['urn:deputy:subgraph:shipping'], scopes: ['shipping:read'] };

describe("the router client's client credentials", () => {
  let auth: TestAuth;

  beforeAll(async () => {
    auth = await startAuth((defaults) => withAudiences(defaults, [SHIPPING]));
  });
  afterAll(() => auth?.stop());

  const routerToken = (params: Record<string, string | string[]>) => auth.token({ grant_type: 'client_credentials', ...params });

  it.each(['accounts', 'products', 'inventory', 'reviews', 'shipping'])('issues a token for %s, named by audience, as the router itself with no act and no scope', async (audience) => {
    const response = await routerToken({ audience });
    expect(response.status).toBe(200);
    const claims = claimsOf(String(response.body.access_token));
    expect(claims).toMatchObject({ aud: audience, sub: 'deputy-router', client_id: 'deputy-router' });
    expect(claims.act).toBeUndefined();
    expect(claims.scope).toBeUndefined();
  });

  it('issues the same by resource indicator, and grants no scope whatever it asks for', async () => {
    const response = await routerToken({ resource: 'urn:deputy:subgraph:products', scope: 'products:read products:write trace:read' });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBeUndefined();
    expect(claimsOf(String(response.body.access_token))).toMatchObject({ aud: 'products' });
    expect(claimsOf(String(response.body.access_token)).scope).toBeUndefined();
  });

  it.each<[string, Record<string, string | string[]>]>([
    ["the router's own audience", { audience: 'deputy-router' }],
    ['the admin API', { audience: 'deputy-admin' }],
    ['an unknown audience', { audience: 'billing' }],
    ['two audiences', { audience: ['products', 'reviews'] }],
    ['an audience and a resource naming another', { audience: 'products', resource: 'urn:deputy:subgraph:reviews' }],
    ['no target (the default, the router itself)', {}],
  ])('refuses %s with invalid_target', async (_what, params) => {
    const response = await routerToken(params);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_target' });
    expect(response.body.access_token).toBeUndefined();
  });

  it("still gives a service client credentials for the router only, not for a subgraph's audience", async () => {
    const products = { id: 'products-service', secret: auth.secret('products-service') };
    expect((await auth.token({ grant_type: 'client_credentials', audience: 'reviews' }, products)).body).toMatchObject({ error: 'invalid_target' });
    expect((await auth.token({ grant_type: 'client_credentials', audience: 'deputy-router' }, products)).status).toBe(200);
    expect((await serviceToken(auth, 'products-service')).status).toBe(200);
  });

  it('keeps exchanging user tokens as before', async () => {
    const delegated = await routerDelegation(auth, await auth.userToken('alice'), 'products', 'products:read');
    expect(claimsOf(delegated)).toMatchObject({ sub: 'alice', aud: 'products', scope: 'products:read', act: { sub: 'deputy-router' } });
  });
});
