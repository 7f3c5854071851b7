import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';
import { serviceAccessToken } from '../helpers/delegatedTokens.js';

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;
const REVIEWS_OF = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { id } } } }';

describe('the delegation broker (POST /delegate)', () => {
  let stack: TestStack;
  let alice: string;
  let delegateUrl: string;
  const serviceToken = (id: string) => serviceAccessToken(stack.auth, id);
  /** The token the router sent to accounts for alice: what the accounts service holds. */
  const heldByAccounts = async () => {
    stack.received.length = 0;
    await postGraphQL(stack.router.url, { query: '{ users { username } }' }, { authorization: `Bearer ${alice}` });
    return stack.received.find((r) => r.subgraph === 'accounts')!.authorization[0].replace(/^Bearer /, '');
  };
  const delegate = async (body: Record<string, unknown>, authorization?: string) => {
    const response = await fetch(delegateUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as { data?: unknown; errors?: { extensions: Record<string, unknown> }[] } };
  };

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo' });
    alice = await stack.auth.userToken('alice');
    delegateUrl = stack.router.url.replace(/\/graphql$/, '/delegate');
  });
  afterAll(() => stack?.stop());

  it('serves a two-hop call through the router: accounts asks reviews for the same user', async () => {
    stack.received.length = 0;
    const response = await postGraphQL(stack.router.url, { query: '{ me { username reviewCount } }' }, { authorization: `Bearer ${alice}` });
    const body = response.json() as { data: { me: { username: string; reviewCount: number } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    // alice wrote reviews 7 and 10 and the draft 12 (hers to see: the brokered token carries reviews:read).
    expect(body.data.me).toEqual({ username: 'alice', reviewCount: 3 });
    const reviewsCall = stack.received.find((r) => r.subgraph === 'reviews')!;
    expect(claimsOf(reviewsCall.authorization[0].replace(/^Bearer /, ''))).toMatchObject({
      sub: 'alice',
      aud: 'reviews',
      client_id: 'deputy-router',
      act: { sub: 'deputy-router', act: { sub: 'accounts-service', act: { sub: 'deputy-router' } } },
      scope: 'reviews:read',
    });
  });

  it('shows the hop in the delegation trace: in the calling fetch, and in the field chain', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ users { username reviewCount } }' }, { authorization: `Bearer ${alice}`, 'x-delegation-trace': '1' });
    const trace = (response.json() as { extensions: { delegationTrace: DelegationTrace } }).extensions.delegationTrace;
    const accounts = trace.fetches.find((f) => f.subgraph === 'accounts')!;
    expect(accounts.hops).toHaveLength(9);
    expect(accounts.hops![0]).toMatchObject({ caller: 'accounts-service', target: 'reviews', audience: 'reviews', outcome: 'ok', field: 'users.@.reviewCount' });
    expect(accounts.hops![0].actorChain).toEqual(['deputy-router', 'accounts-service', 'deputy-router']);
    const chain = trace.fields['users.@.reviewCount'].chain;
    expect(chain.map((hop) => hop.party)).toEqual(['alice', 'deputy-router', 'accounts', 'reviews']);
    expect(chain[3]).toMatchObject({ role: 'subgraph', audience: 'reviews', via: 'accounts' });
    expect(JSON.stringify(trace)).not.toMatch(JWT_LIKE);
  });

  it('refuses an unknown or unauthenticated caller with 401', async () => {
    const held = await heldByAccounts();
    const body = { subjectToken: held, target: 'reviews', scopes: [], request: { query: REVIEWS_OF, variables: { r: [] } } };
    for (const authorization of [undefined, `Bearer ${alice}`, `Bearer ${await serviceToken('products-service')}`]) {
      const response = await delegate(body, authorization);
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.text).not.toMatch(JWT_LIKE);
    }
  });

  it('refuses a held token that is not for the caller service with 401', async () => {
    const response = await delegate(
      { subjectToken: alice, target: 'reviews', scopes: [], request: { query: REVIEWS_OF, variables: { r: [] } } },
      `Bearer ${await serviceToken('accounts-service')}`,
    );
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a target or scope outside the allowlist with 403 and the rule', async () => {
    const held = await heldByAccounts();
    const auth = `Bearer ${await serviceToken('accounts-service')}`;
    const otherTarget = await delegate({ subjectToken: held, target: 'inventory', scopes: [], request: { query: '{ __typename }' } }, auth);
    expect(otherTarget.status).toBe(403);
    expect(otherTarget.body.errors?.[0].extensions).toMatchObject({ code: 'DELEGATION_DENIED', rule: 'broker.callers.accounts-service.targets' });
    const widerScope = await delegate({ subjectToken: held, target: 'reviews', scopes: ['reviews:write'], request: { query: '{ __typename }' } }, auth);
    expect(widerScope.status).toBe(403);
    expect(widerScope.body.errors?.[0].extensions).toMatchObject({ code: 'DELEGATION_DENIED', rule: 'broker.callers.accounts-service.targets.reviews' });
  });

  it('audits every attempt, allowed or refused, without tokens', async () => {
    const before = stack.audit.length;
    const held = await heldByAccounts();
    await delegate({ subjectToken: held, target: 'inventory', scopes: [], request: { query: '{ __typename }' } }, `Bearer ${await serviceToken('accounts-service')}`);
    await delegate({ subjectToken: held, target: 'reviews', scopes: [], request: { query: '{ __typename }' } }, `Bearer ${await serviceToken('accounts-service')}`);
    const events = stack.audit.slice(before).filter((event) => event.event === 'broker.delegate');
    expect(events.map((event) => [event.decision, event.status, event.subject, event.caller])).toEqual([
      ['refused', 403, 'alice', 'accounts-service'],
      ['allowed', 200, 'alice', 'accounts-service'],
    ]);
    expect(JSON.stringify(events)).not.toMatch(JWT_LIKE);
  });
});
