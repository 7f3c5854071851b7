import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';

// GET /metrics can move to its own listener (metrics.listen) and require a bearer token
// (metrics.bearerToken), so an internet-facing router does not publish its internals.

describe('the metrics endpoint, moved and guarded', () => {
  let stack: TestStack;
  const TOKEN = 'scrape-token-for-this-test-only';

  beforeAll(async () => {
    stack = await startStack({ routerConfig: (raw) => ({ ...raw, metrics: { listen: { host: '127.0.0.1', port: 0 }, bearerToken: TOKEN } }) });
  });
  afterAll(() => stack?.stop());

  it('is gone from the router listener', async () => {
    expect(stack.router.metricsUrl).not.toBe(stack.router.url.replace(/\/graphql$/, '/metrics'));
    expect((await fetch(stack.router.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
  });

  it('answers 401 without the token or with another, and the metrics with it', async () => {
    expect((await fetch(stack.router.metricsUrl)).status).toBe(401);
    expect((await fetch(stack.router.metricsUrl, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    const response = await fetch(stack.router.metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('deputy_requests_total');
  });
});
