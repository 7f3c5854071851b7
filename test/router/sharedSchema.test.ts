import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { FULL_INVENTORY as FULL, REDUCED_INVENTORY as REDUCED, roverWorkspace } from '../helpers/roverWorkspace.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';
import { parseRouterConfig } from '../../router/config/loadRouterConfig.js';
import { memoryAuditLog } from '../../router/audit/auditLog.js';


describe('several router instances share the published schema through Redis', () => {
  // A key prefix per test run: parallel runs and other suites share the machine's Redis.
  const prefix = `deputy-test:${randomUUID()}:`;
  let stack: TestStack;
  let raw: Record<string, unknown>;
  const others: RunningRouter[] = [];
  let alice: string;
  const startAnother = async () => {
    const router = await startRouter(parseRouterConfig(raw, 'second instance'), { audit: memoryAuditLog() });
    others.push(router);
    return router;
  };
  const estimate = async (router: { url: string }) =>
    (await postGraphQL(router.url, { query: '{ topProducts(first: 1) { shippingEstimate } }' }, { authorization: `Bearer ${alice}` })).status;

  beforeAll(async () => {
    const rover = roverWorkspace({ inventory: REDUCED });
    stack = await startStack({
      routerConfig: (c) => {
        raw = { ...c, supergraph: { rover }, shared: { redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix } };
        return raw;
      },
    });
    alice = await stack.auth.userToken('alice');
  });
  afterAll(async () => {
    for (const router of others) await router.stop();
    await stack?.stop();
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    await redis.del(`${prefix}supergraph`);
    await redis.quit();
  });

  it('reaches every instance, and a restarted instance starts on the latest published schema', async () => {
    const second = await startAnother();
    expect(await estimate(second)).toBe(400);
    const team = String(
      (await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: 'schema:publish' }, { id: 'inventory-team', secret: stack.auth.secret('inventory-team') })).body.access_token,
    );
    const published = await fetch(stack.router.url.replace(/\/graphql$/, '/admin/schema'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${team}` },
      body: JSON.stringify({ subgraph: 'inventory', sdl: FULL }),
    });
    expect(published.status).toBe(200);
    expect(await estimate(stack.router)).toBe(200);
    let seen = 0;
    for (let i = 0; i < 50 && (seen = await estimate(second)) !== 200; i++) await sleep(100);
    expect(seen).toBe(200);
    expect(second.schema.state.hash).toBe(stack.router.schema.state.hash);

    const third = await startAnother();
    expect(await estimate(third)).toBe(200);
  });
});
