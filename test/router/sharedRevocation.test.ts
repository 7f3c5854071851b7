import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import { tokenKey } from '../../lib/tokenKey.js';
import type { Caller } from '../../router/edge/authenticateCaller.js';
import { claimsChanged, eventsUrl, pushSet, sessionRevoked, sessionToken, signSet } from '../helpers/securityEvents.js';

// Several router instances share one Redis (a prefix of this run's own): a SET pushed to one
// instance reaches the others through a channel, and one that starts later reads the stored
// revocations. Exchanged tokens are cached in Redis too, to show a revoked subject's copies there
// are never used.

const REDIS = 'redis://127.0.0.1:6379';
const QUERY = { query: '{ topProducts { name inStock } }' };

interface Attempt {
  router: 'a' | 'b';
  startedAt: number;
  status: number;
  /** Subgraph requests made with this user's tokens while this request was in flight. */
  reachedSubgraphs: number;
}

describe('router instances sharing Redis all refuse a token revoked at one of them', () => {
  const prefix = `deputy-test:${randomUUID()}:`;
  let stack: TestStack;
  let second: RunningRouter;
  const later: RunningRouter[] = [];
  const redis = createClient({ url: REDIS });
  const ask = (url: string, token: string) => postGraphQL(url, QUERY, { authorization: `Bearer ${token}` });
  /** Subgraph requests made with tokens exchanged for `sub`. */
  const subgraphRequestsOf = (sub: string) => stack.received.filter((request) => claimsOf(request.authorization[0].replace(/^Bearer /, '')).sub === sub).length;

  beforeAll(async () => {
    stack = await startStack({
      routerConfig: (config) => ({
        ...config,
        exchange: { ...config.exchange, cache: { backend: 'redis' } },
        shared: { redisUrl: REDIS, keyPrefix: prefix, tokenEncryptionKey: randomBytes(32).toString('base64') },
      }),
    });
    second = await startRouter(stack.config);
    await redis.connect();
  });
  afterAll(async () => {
    for (const router of [...later, second]) await router?.stop();
    await stack?.stop();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  it("refuses a session revoked mid-stream on both instances; after each one's first refusal none of the user's requests reaches a subgraph", async () => {
    const alice = await sessionToken(stack.auth, 'alice', 'alice-stream');
    const urls = { a: stack.router.url, b: second.url };
    const attempts: Attempt[] = [];
    let pushedAt = Number.POSITIVE_INFINITY;
    let pushing: Promise<unknown> | undefined;
    const refusedBy = () => new Set(attempts.filter((attempt) => attempt.status === 401).map((attempt) => attempt.router));
    // One request at a time, alternating instances, until both have refused (within 10 s).
    for (let i = 0; refusedBy().size < 2 && i < 2000; i++) {
      const router = i % 2 === 0 ? 'a' : 'b';
      if (i === 6) {
        pushing = signSet(stack.auth, 'deputy-router', sessionRevoked(stack.auth, 'alice', 'alice-stream'))
          .then((set) => pushSet(eventsUrl(urls.a), set))
          .then((response) => {
            expect(response.status).toBe(202);
            pushedAt = performance.now();
          });
      }
      const before = subgraphRequestsOf('alice');
      const startedAt = performance.now();
      const { status } = await ask(urls[router], alice);
      attempts.push({ router, startedAt, status, reachedSubgraphs: subgraphRequestsOf('alice') - before });
      if (performance.now() - attempts[0].startedAt > 10_000) break;
    }
    await pushing;

    expect(attempts.slice(0, 6).every((attempt) => attempt.status === 200)).toBe(true);
    expect(refusedBy()).toEqual(new Set(['a', 'b']));
    for (const router of ['a', 'b'] as const) {
      const mine = attempts.filter((attempt) => attempt.router === router);
      const firstRefusal = mine.findIndex((attempt) => attempt.status === 401);
      // Once an instance refuses, it refuses every later request, and none reaches a subgraph.
      expect(mine.slice(firstRefusal).every((attempt) => attempt.status === 401 && attempt.reachedSubgraphs === 0)).toBe(true);
    }
    // The instance that received the SET refuses every request started after its 202.
    expect(attempts.filter((attempt) => attempt.router === 'a' && attempt.startedAt > pushedAt).every((attempt) => attempt.status === 401)).toBe(true);
  });

  it('stores the revocation under the prefix with a TTL, holding no token', async () => {
    const key = `${prefix}revocations`;
    expect(await redis.pTTL(key)).toBeGreaterThan(0);
    const members = await redis.zRange(key, 0, -1);
    expect(members.map((member) => JSON.parse(member))).toContainEqual(expect.objectContaining({ sub: 'alice', sid: 'alice-stream', event: 'session-revoked' }));
    for (const token of stack.auth.issued) for (const member of members) expect(member).not.toContain(token.slice(-16));
  });

  it('refuses at an instance that receives a revocation from another, whichever one the issuer pushed to', async () => {
    const carol = await sessionToken(stack.auth, 'carol', 'carol-s1');
    expect((await ask(stack.router.url, carol)).status).toBe(200);
    expect((await pushSet(eventsUrl(second.url), await signSet(stack.auth, 'deputy-router', claimsChanged(stack.auth, 'carol')))).status).toBe(202);
    await expect.poll(async () => (await ask(stack.router.url, carol)).status).toBe(401);
    expect(stack.audit.filter((event) => event.event === 'token.revoked' && event.subject === 'carol')).toEqual([expect.objectContaining({ source: 'shared', eventType: 'token-claims-change' })]);
  });

  it('refuses a revoked token at an instance started after the event, from its first request', async () => {
    const alice = await sessionToken(stack.auth, 'alice', 'alice-stream');
    const third = await startRouter(stack.config);
    later.push(third);
    const refused = await ask(third.url, alice);
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { reason: 'token_revoked' } }] });
  });

  it("never hands out a revoked subject's exchanged token, though its sealed copies stay in Redis until they lapse", async () => {
    const dave = await sessionToken(stack.auth, 'dave', 'dave-s1');
    expect((await ask(stack.router.url, dave)).status).toBe(200);
    const tokensInRedis = (await redis.keys(`${prefix}token:*`)).length;
    expect((await pushSet(eventsUrl(second.url), await signSet(stack.auth, 'deputy-router', sessionRevoked(stack.auth, 'dave', 'dave-s1')))).status).toBe(202);

    // A fresh instance holds nothing in memory: asked directly (past its edge), its exchanger would
    // find dave's tokens in Redis, and refuses them.
    const fourth = await startRouter(stack.config);
    later.push(fourth);
    const claims = claimsOf(dave);
    const subject: Caller = { token: dave, fingerprint: tokenKey(dave), sub: 'dave', clientId: 'web-app', scopes: ['inventory:read'], exp: Number(claims.exp), jti: String(claims.jti), claims };
    const exchanges = stack.auth.exchanges();
    const inventory = { audience: 'inventory', scopes: ['inventory:read'], allowedClients: ['*'] };
    await expect(fourth.exchanger.tokenFor(subject, 'inventory', inventory)).rejects.toMatchObject({ code: 'DELEGATION_DENIED', reason: 'token_revoked' });
    await expect.poll(() => stack.router.exchanger.tokenFor(subject, 'inventory', inventory).catch((error: { reason?: string }) => error.reason)).toBe('token_revoked');
    expect(stack.auth.exchanges()).toBe(exchanges);
    expect((await redis.keys(`${prefix}token:*`)).length).toBe(tokensInRedis);
  });
});
