import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, claimsOf, startAuth, type TestAuth } from '../helpers/startAuth.js';
import { exchange } from '../helpers/delegatedTokens.js';
import { withAudiences } from '../../auth-server/withAudiences.js';

// A subgraph audience besides the demo ones (README.md "For subgraph teams"): registered with
// withAudiences, tokens are issued for it; without it, the server is as before.

const SHIPPING = { audience: 'shipping', resources: ['urn:deputy:subgraph:shipping'], scopes: ['shipping:read'] };

describe('extra subgraph audiences at the authorization server', () => {
  let auth: TestAuth;
  let plain: TestAuth;

  beforeAll(async () => {
    [auth, plain] = await Promise.all([startAuth((defaults) => withAudiences(defaults, [SHIPPING], { alice: ['shipping:read'] })), startAuth()]);
  });
  afterAll(async () => {
    await auth?.stop();
    await plain?.stop();
  });

  it("lets an entitled user's router token hold the audience's scope, and no one else's", async () => {
    const scope = `${ALL_SCOPES} shipping:read`;
    expect(String(claimsOf(await auth.userToken('alice', scope)).scope).split(' ')).toContain('shipping:read');
    expect(String(claimsOf(await auth.userToken('bob', scope)).scope).split(' ')).not.toContain('shipping:read');
  });

  it('lets the router exchange toward the audience, by name or resource indicator, and only with its scopes', async () => {
    const alice = await auth.userToken('alice', `${ALL_SCOPES} shipping:read`);
    const byName = await exchange(auth, { subject_token: alice, audience: 'shipping', scope: 'shipping:read' });
    expect(byName.status).toBe(200);
    expect(claimsOf(String(byName.body.access_token))).toMatchObject({ sub: 'alice', aud: 'shipping', scope: 'shipping:read', act: { sub: 'deputy-router' } });
    const byResource = await exchange(auth, { subject_token: alice, resource: 'urn:deputy:subgraph:shipping' });
    expect(claimsOf(String(byResource.body.access_token)).aud).toBe('shipping');
    const narrowed = await exchange(auth, { subject_token: alice, audience: 'shipping', scope: 'shipping:read inventory:read' });
    expect(narrowed.body.scope).toBe('shipping:read');
  });

  it('issues nothing for it when it is not registered', async () => {
    const alice = await plain.userToken('alice', `${ALL_SCOPES} shipping:read`);
    expect(String(claimsOf(alice).scope).split(' ')).not.toContain('shipping:read');
    const refused = await exchange(plain, { subject_token: alice, audience: 'shipping' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_target');
  });
});
