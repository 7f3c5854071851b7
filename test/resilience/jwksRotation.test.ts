import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { postGraphQL } from '../helpers/graphql.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { foreignToken, headerOf } from '../helpers/forgeToken.js';
import { claimsOf } from '../helpers/decode.js';

// The authorization server rotates its signing key: the router (whose JWKS fetches a proxy
// counts) accepts the new kid on first use with exactly one refetch, and a flood of made-up
// kids right after costs no further fetch.

describe('JWKS rotation at the router edge', () => {
  let auth: TestAuth;
  let proxy: FaultProxy;
  let stack: TestStack;
  const query = (token: string) => postGraphQL(stack.router.url, { query: '{ users { name } topProducts { name inStock } }' }, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    auth = await startAuth();
    proxy = await startFaultProxy(auth.issuer);
    stack = await startStack({ auth, routerConfig: (config) => ({ ...config, auth: { ...config.auth, jwksUri: `${proxy.origin}/jwks` } }) });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
    await auth?.stop();
  });

  it('uses a rotated key at once with one refetch, and a flood of unknown kids refetches nothing', async () => {
    const before = await auth.userToken('alice');
    expect((await query(before)).json().errors).toBeUndefined();
    expect(proxy.hits('/jwks')).toBe(1);

    await auth.rotateKeys();
    // Let keep-alive clients notice the old server's closed connections.
    await sleep(300);
    const after = await auth.userToken('alice');
    expect(headerOf(after).kid).not.toBe(headerOf(before).kid);
    const response = await query(after);
    expect(response.status).toBe(200);
    // The subgraphs verify tokens signed by the new key too (they refetch their own JWKS once).
    expect(response.json().errors).toBeUndefined();
    expect(proxy.hits('/jwks')).toBe(2);

    const claims = claimsOf(after);
    const flood = await Promise.all(
      Array.from({ length: 40 }, () => foreignToken({ ...claims, jti: randomUUID() }, { kid: randomUUID() }).then(query)),
    );
    for (const refused of flood) {
      expect(refused.status).toBe(401);
      expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'unknown_key' } }] });
    }
    expect(proxy.hits('/jwks')).toBe(2);
  });
});
