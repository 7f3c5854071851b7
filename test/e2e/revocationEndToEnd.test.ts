import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import { postGraphQL } from '../helpers/graphql.js';
import { freePort } from '../helpers/freePort.js';
import { claimsOf } from '../helpers/decode.js';
import { revoke } from '../helpers/revocationClient.js';

// The whole path, no SET forged: alice signs in at the real authorization server, streams
// requests through two router instances sharing Redis, and her token is revoked (RFC 7009) by
// the web app. The server pushes a CAEP session-revoked SET to the first router only (RFC 8935);
// the second hears it through Redis. Both then refuse her with token_revoked, and none of her
// requests reaches a subgraph after each instance's first refusal.

const REDIS = 'redis://127.0.0.1:6379';
const QUERY = { query: '{ topProducts(first: 1) { upc name } }' };

describe('a session revoked at the authorization server, against two routers', () => {
  const prefix = `deputy-test:revoke-e2e:${randomBytes(4).toString('hex')}:`;
  let auth: TestAuth;
  let stack: TestStack;
  let second: RunningRouter;
  const redis = createClient({ url: REDIS });

  beforeAll(async () => {
    const port = await freePort();
    auth = await startAuth({ ssfReceivers: [{ audience: 'deputy-router', url: `http://127.0.0.1:${port}/events` }] });
    stack = await startStack({
      auth,
      routerConfig: (config) => ({ ...config, listen: { ...config.listen, port }, shared: { redisUrl: REDIS, keyPrefix: prefix } }),
    });
    second = await startRouter({ ...stack.config, listen: { ...stack.config.listen, port: 0 } });
    await redis.connect();
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
    await auth?.stop();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  it('refuses the revoked user on both instances within moments, and no later request of hers reaches a subgraph', async () => {
    const alice = await auth.userToken('alice');
    const bob = await auth.userToken('bob');
    expect(claimsOf(alice).sid).toEqual(expect.any(String));
    const urls = [stack.router.url, second.url];
    for (const url of urls) expect((await postGraphQL(url, QUERY, { authorization: `Bearer ${alice}` })).status).toBe(200);
    const aliceAtSubgraphs = () => stack.received.filter((request) => claimsOf(request.authorization[0].replace(/^Bearer /, '')).sub === 'alice').length;

    const revokedAt = performance.now();
    expect(await revoke(auth.issuer, { token: alice, token_type_hint: 'access_token' }, { publicId: 'web-app' })).toEqual({ status: 200, body: {} });
    // Alice keeps asking both instances until each has refused her once (bounded: 200 rounds).
    const firstRefusal: (number | undefined)[] = [undefined, undefined];
    const reachedAfterRefusal: number[] = [];
    for (let round = 0; round < 200 && firstRefusal.includes(undefined); round++) {
      for (const [i, url] of urls.entries()) {
        const before = aliceAtSubgraphs();
        const answer = await postGraphQL(url, QUERY, { authorization: `Bearer ${alice}` });
        if (answer.status === 401) {
          expect(answer.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'token_revoked' } }] });
          firstRefusal[i] ??= performance.now() - revokedAt;
        } else if (firstRefusal[i] !== undefined) reachedAfterRefusal.push(aliceAtSubgraphs() - before);
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    expect(firstRefusal.every((ms) => ms !== undefined)).toBe(true);
    // Once an instance refused her, every later request is refused too and reaches no subgraph.
    const atSubgraphs = aliceAtSubgraphs();
    for (const url of urls) {
      const answer = await postGraphQL(url, QUERY, { authorization: `Bearer ${alice}` });
      expect(answer.status).toBe(401);
    }
    expect(aliceAtSubgraphs()).toBe(atSubgraphs);
    expect(reachedAfterRefusal).toEqual([]);
    // Bob is not affected; alice signing in again gets a new session, which is served.
    for (const url of urls) expect((await postGraphQL(url, QUERY, { authorization: `Bearer ${bob}` })).status).toBe(200);
    const again = await auth.userToken('alice');
    expect(claimsOf(again).sid).not.toBe(claimsOf(alice).sid);
    expect((await postGraphQL(second.url, QUERY, { authorization: `Bearer ${again}` })).status).toBe(200);
    console.log(`revocation to first refusal: pushed instance ${firstRefusal[0]!.toFixed(0)} ms, Redis-fed instance ${firstRefusal[1]!.toFixed(0)} ms`);
  });
});
