import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { routerDelegation } from '../helpers/delegatedTokens.js';
import { createBrokerClient, type BrokerClientOptions } from '../../broker-client/index.js';
import { readBrokerCallers } from '../../lib/brokerPolicy.js';

const REVIEWS_OF = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { id } } } }';

describe('the broker client while the router is stopped', () => {
  let stack: TestStack;
  let held: string;
  let client: (options?: Partial<BrokerClientOptions>) => ReturnType<typeof createBrokerClient>;
  const call = () => ({ subjectToken: held, target: 'reviews', scopes: ['reviews:read'], query: REVIEWS_OF, variables: { r: [{ __typename: 'User', id: '1' }] } });

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo' });
    // What accounts holds for alice: a token the router delegated to it.
    held = await routerDelegation(stack.auth, await stack.auth.userToken('alice'), 'accounts', 'accounts:read');
    const delegateUrl = stack.router.url.replace(/\/graphql$/, '/delegate');
    client = (options = {}) =>
      createBrokerClient({
        clientId: 'accounts-service',
        clientSecret: stack.auth.secret('accounts-service'),
        tokenEndpoint: `${stack.auth.issuer}/token`,
        routerResource: 'urn:deputy:router',
        brokerUrl: () => delegateUrl,
        timeoutMs: 2000,
        ...options,
      });
    // Through the broker while it is up: the same answer the fallback must give later.
    expect(await client().delegate(call())).toMatchObject({ data: { _entities: [{ reviews: expect.any(Array) }] } });
    await stack.router.stop();
  });
  afterAll(() => stack?.stop());

  it('answers through the direct exchange when the fallback is on: audited at the authorization server and counted', async () => {
    const counted: string[] = [];
    const reviews = stack.subgraphs.find((subgraph) => subgraph.name === 'reviews')!;
    const auditBefore = stack.auth.audit.length;
    const fallingBack = client({
      circuit: { consecutiveFailures: 1 },
      fallback: { enabled: true, callers: readBrokerCallers('router/router.yaml'), targets: { reviews: { url: reviews.url } }, onFallback: (target) => counted.push(target) },
    });
    const answer = await fallingBack.delegate(call());
    expect(answer.errors).toBeUndefined();
    expect(answer).toMatchObject({ data: { _entities: [{ reviews: expect.any(Array) }] } });
    expect(stack.auth.audit.slice(auditBefore)).toEqual([
      expect.objectContaining({ event: 'exchange.direct', client: 'accounts-service', subject: 'alice', audience: 'reviews', scopes: ['reviews:read'], decision: 'granted' }),
    ]);
    expect(counted).toEqual(['reviews']);
  });

  it('fails with a coded error and exchanges nothing when the fallback is off (the default)', async () => {
    const auditBefore = stack.auth.audit.length;
    const plain = client();
    // The first call finds the router gone (sent twice: a query is retried once); the third send opens the circuit.
    await expect(plain.delegate(call())).rejects.toMatchObject({ code: 'BROKER_UNREACHABLE' });
    await expect(plain.delegate(call())).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE', status: 503 });
    expect(stack.auth.audit.slice(auditBefore)).toEqual([]);
  });
});
