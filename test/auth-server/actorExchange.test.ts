import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, claimsOf, startAuth, type TestAuth } from '../helpers/startAuth.js';
import { serviceAccessToken } from '../helpers/delegatedTokens.js';

describe('token exchange with an actor token (the router brokering for a service)', () => {
  let auth: TestAuth;
  let alice: string;
  let aliceForAccounts: string;
  let bobForAccounts: string;
  const service = (id: string) => ({ id, secret: auth.secret(id) });
  const serviceToken = (id: string) => serviceAccessToken(auth, id);
  const exchange = (params: Record<string, string>, client?: { id: string; secret: string }) =>
    auth.token({ grant_type: TOKEN_EXCHANGE, subject_token_type: ACCESS_TOKEN_TYPE, actor_token_type: ACCESS_TOKEN_TYPE, ...params }, client);

  beforeAll(async () => {
    auth = await startAuth();
    alice = await auth.userToken('alice');
    const toAccounts = async (user: string) =>
      String((await auth.token({ grant_type: TOKEN_EXCHANGE, subject_token: await auth.userToken(user), subject_token_type: ACCESS_TOKEN_TYPE, audience: 'accounts' })).body.access_token);
    aliceForAccounts = await toAccounts('alice');
    bobForAccounts = await toAccounts('bob');
  });
  afterAll(() => auth?.stop());

  it('gives a service a client-credentials token for the router, as itself', async () => {
    expect(claimsOf(await serviceToken('accounts-service'))).toMatchObject({ sub: 'accounts-service', client_id: 'accounts-service', aud: 'deputy-router' });
  });

  it('issues a token for the target whose act chain reads router, then the service, then the router before it', async () => {
    const response = await exchange({ subject_token: aliceForAccounts, actor_token: await serviceToken('accounts-service'), audience: 'reviews' });
    expect(response.status).toBe(200);
    expect(claimsOf(String(response.body.access_token))).toMatchObject({
      sub: 'alice',
      aud: 'reviews',
      act: { sub: 'deputy-router', act: { sub: 'accounts-service', act: { sub: 'deputy-router' } } },
    });
  });

  it('refuses an actor token that is a user token, not a service token', async () => {
    const response = await exchange({ subject_token: aliceForAccounts, actor_token: alice, audience: 'reviews' });
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses an actor token from a client that is not allowed to broker', async () => {
    const response = await exchange({ subject_token: aliceForAccounts, actor_token: await serviceToken('accounts-service'), audience: 'reviews' }, service('accounts-service'));
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: 'this client may not act for another party (actor_token)' });
  });

  it('binds the subject to the service: another user token held by the same service still works, a router token does not', async () => {
    const actor = await serviceToken('accounts-service');
    expect((await exchange({ subject_token: bobForAccounts, actor_token: actor, audience: 'reviews' })).status).toBe(200);
    expect((await exchange({ subject_token: alice, actor_token: actor, audience: 'reviews' })).body.error).toBe('invalid_request');
  });
});
