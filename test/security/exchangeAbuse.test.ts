import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { serviceClients } from '../../auth-server/demoIdentities.js';
import { serviceAccessToken } from '../helpers/delegatedTokens.js';

// Abuse of the token exchange, each refused with its exact HTTP status and OAuth error (or,
// at the router edge, 401 UNAUTHENTICATED with its reason).

describe('token exchange abuse', () => {
  let auth: TestAuth;
  let stack: TestStack;
  let alice: string;
  const client = (id: string, secret = auth.secret(id)) => ({ id, secret });
  const exchange = (subject: string, audience: string, as?: { id: string; secret: string }, extra: Record<string, string> = {}) =>
    auth.token({ grant_type: TOKEN_EXCHANGE, subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE, audience, ...extra }, as);
  const issued = async (pending: ReturnType<typeof exchange>) => {
    const response = await pending;
    expect(response.status).toBe(200);
    return String(response.body.access_token);
  };
  const serviceToken = (id: string) => serviceAccessToken(auth, id);
  const expectOAuthError = async (pending: ReturnType<typeof exchange>, status: number, error: string) => {
    const response = await pending;
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    expect(response.body.access_token).toBeUndefined();
  };

  beforeAll(async () => {
    const reporting = { clientId: 'reporting', authMethod: 'client_secret_basic' as const, grantTypes: ['client_credentials'], tokenAudiences: [] };
    // A broker policy with a chain of three services, so a direct exchange can reach the depth limit.
    const chain = {
      'accounts-service': { subgraph: 'accounts', targets: { reviews: ['reviews:read'] } },
      'reviews-service': { subgraph: 'reviews', targets: { inventory: ['inventory:read'] } },
      'inventory-service': { subgraph: 'inventory', targets: { products: ['products:read'] } },
    };
    auth = await startAuth((defaults) => ({
      maxActDepth: 3,
      brokerCallers: chain,
      clients: [...defaults.clients.filter((c) => !c.clientId.endsWith('-service')), ...serviceClients(chain), reporting],
      clientSecrets: { ...defaults.clientSecrets, reporting: 'reporting-secret' },
    }));
    stack = await startStack({ auth });
    alice = await auth.userToken('alice');
  });
  afterAll(async () => {
    await stack?.stop();
    await auth?.stop();
  });

  it('refuses a subgraph token replayed at the router edge: 401 UNAUTHENTICATED wrong_audience, no exchange', async () => {
    const forProducts = await issued(exchange(alice, 'products'));
    const before = auth.exchanges();
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts { name } }' }, { authorization: `Bearer ${forProducts}` });
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'wrong_audience' } }] });
    expect(auth.exchanges()).toBe(before);
  });

  it('refuses an exchanged token used again as the subject of an exchange by the router: 400 invalid_request', async () => {
    const forProducts = await issued(exchange(alice, 'products'));
    await expectOAuthError(exchange(forProducts, 'inventory'), 400, 'invalid_request');
  });

  it('refuses a scope the subject token does not hold: 400 invalid_scope', async () => {
    const narrow = await auth.userToken('bob', 'openid inventory:read');
    await expectOAuthError(exchange(narrow, 'inventory', undefined, { scope: 'inventory:write' }), 400, 'invalid_scope');
  });

  it('refuses an audience outside the client allowlist: 400 invalid_target', async () => {
    const forAccounts = await issued(exchange(alice, 'accounts'));
    // accounts-service may exchange toward reviews only, not toward its own audience or the router.
    await expectOAuthError(exchange(forAccounts, 'accounts', client('accounts-service')), 400, 'invalid_target');
    await expectOAuthError(exchange(forAccounts, 'deputy-admin', client('accounts-service')), 400, 'invalid_target');
  });

  it('refuses a client without the token-exchange grant: 400 unauthorized_client', async () => {
    await expectOAuthError(exchange(alice, 'accounts', client('reporting', 'reporting-secret')), 400, 'unauthorized_client');
  });

  it("refuses a splice of one user's subject token with another service's actor token: 400 invalid_request", async () => {
    const aliceForAccounts = await issued(exchange(alice, 'accounts'));
    const splice = exchange(aliceForAccounts, 'inventory', undefined, { actor_token: await serviceToken('reviews-service'), actor_token_type: ACCESS_TOKEN_TYPE });
    await expectOAuthError(splice, 400, 'invalid_request');
    // The same subject with its own service's actor token is fine: the refusal is the splice.
    const own = exchange(aliceForAccounts, 'reviews', undefined, { actor_token: await serviceToken('accounts-service'), actor_token_type: ACCESS_TOKEN_TYPE });
    expect((await own).status).toBe(200);
  });

  it('refuses an act chain deeper than the limit (3 actors): 400 invalid_request', async () => {
    const hop1 = await issued(exchange(alice, 'accounts'));
    const hop2 = await issued(exchange(hop1, 'reviews', client('accounts-service')));
    const hop3 = await issued(exchange(hop2, 'inventory', client('reviews-service')));
    const response = await exchange(hop3, 'products', client('inventory-service'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: 'delegation chain would exceed 3 actors' });
  });
});
