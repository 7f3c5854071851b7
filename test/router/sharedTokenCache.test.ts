import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';

const REDIS = 'redis://127.0.0.1:6379';

describe('two router instances share exchanged tokens through Redis', () => {
  const prefix = `deputy-test:${randomUUID()}:`;
  let stack: TestStack;
  let second: RunningRouter;
  const redis = createClient({ url: REDIS });

  beforeAll(async () => {
    let raw: Record<string, unknown> = {};
    stack = await startStack({
      routerConfig: (c) => {
        raw = {
          ...c,
          exchange: { ...c.exchange, cache: { backend: 'redis' } },
          shared: { redisUrl: REDIS, keyPrefix: prefix, tokenEncryptionKey: randomBytes(32).toString('base64') },
        };
        return raw;
      },
    });
    // The second instance sends its audit trail to a Redis Stream (central collection).
    second = await startRouter(parseRouterConfig({ ...raw, audit: { sink: 'redis' } }, 'second instance'));
    await redis.connect();
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  it('exchanges once for a user across instances, and stores no plaintext token', async () => {
    const alice = await stack.auth.userToken('alice');
    const before = stack.auth.exchanges();
    const first = await postGraphQL(stack.router.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${alice}` });
    expect(first.status).toBe(200);
    expect(stack.auth.exchanges() - before).toBe(4);
    const onSecond = await postGraphQL(second.url, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${alice}` });
    expect(onSecond.text).toBe(first.text);
    expect(stack.auth.exchanges() - before).toBe(4);

    const keys = await redis.keys(`${prefix}token:*`);
    expect(keys).toHaveLength(4);
    const sentTokens = new Set(stack.received.map((r) => r.authorization[0].replace(/^Bearer /, '')));
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^${prefix}token:[0-9a-f]{64}$`));
      const value = (await redis.get(key))!;
      // A JWT's header and a dot, not "eyJ" alone: three such characters turn up in random base64 by chance.
      expect(value).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
      for (const token of sentTokens) expect(value).not.toContain(token.slice(-20));
      expect(Buffer.from(value, 'base64').toString('utf8')).not.toMatch(/eyJ|alice|inventory/);
    }
  });

  it('appends the audit trail of an instance to a Redis Stream', async () => {
    const bob = await stack.auth.userToken('bob');
    await postGraphQL(second.url, { query: '{ users { username } }' }, { authorization: `Bearer ${bob}` });
    let events: { event: string; subject?: string; decision?: string }[] = [];
    for (let i = 0; i < 20 && !events.some((e) => e.subject === 'bob'); i++) {
      events = (await redis.xRange(`${prefix}audit`, '-', '+')).map((entry) => JSON.parse(entry.message.event));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(events).toContainEqual(expect.objectContaining({ event: 'delegation', subject: 'bob', target: 'accounts', decision: 'granted' }));
    expect(JSON.stringify(events)).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);
  });
});
