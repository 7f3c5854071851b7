import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

type Users = { data: { users: { id: string; reviewCount: number | null }[] }; errors?: unknown; extensions?: { delegationTrace: DelegationTrace } };

describe("the demo's broker calls, through deputy/broker-client", () => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  const delegations = (from: number) => stack.audit.slice(from).filter((event) => event.event === 'broker.delegate');

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo' });
    for (const user of ['alice', 'bob']) tokens[user] = await stack.auth.userToken(user);
  });
  afterAll(() => stack?.stop());

  it("batches a list's reviewCount into one /delegate request, answering each user their own count", async () => {
    const before = stack.audit.length;
    const response = await postGraphQL(stack.router.url, { query: '{ users { id reviewCount } }' }, { authorization: `Bearer ${tokens.alice}` });
    const body = response.json() as Users;
    expect(body.errors).toBeUndefined();
    const users = body.data.users;
    expect(users.length).toBeGreaterThan(1);
    const events = delegations(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ decision: 'allowed', status: 200, subject: 'alice', caller: 'accounts-service', target: 'reviews', operations: users.length });
    // Each count is what the same user's call alone (the single form, unbatched) answers.
    for (const user of users) {
      const alone = (await postGraphQL(stack.router.url, { query: `{ user(id: "${user.id}") { reviewCount } }` }, { authorization: `Bearer ${tokens.alice}` })).json() as { data: { user: { reviewCount: number } } };
      expect(alone.data.user.reviewCount, `user ${user.id}`).toBe(user.reviewCount);
    }
    expect(users.some((user) => (user.reviewCount ?? 0) > 0)).toBe(true);
  });

  it('traces a batched call: one hop per user, each placed at its field, in the accounts fetch', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ users { id reviewCount } }' }, { authorization: `Bearer ${tokens.alice}`, 'x-delegation-trace': '1' });
    const body = response.json() as Users;
    const accounts = body.extensions!.delegationTrace.fetches.find((fetch) => fetch.subgraph === 'accounts')!;
    expect(accounts.hops).toHaveLength(body.data.users.length);
    for (const hop of accounts.hops!) {
      expect(hop).toMatchObject({ caller: 'accounts-service', target: 'reviews', outcome: 'ok', field: 'users.@.reviewCount' });
      expect(hop.actorChain).toEqual(['deputy-router', 'accounts-service', 'deputy-router']);
    }
    // One exchange served the whole batch: every hop carries the same token.
    expect(new Set(accounts.hops!.map((hop) => hop.token?.jti)).size).toBe(1);
  });

  it("never batches two users' calls together: each /delegate request acts for one subject", async () => {
    const before = stack.audit.length;
    const [alice, bob] = await Promise.all(
      ['alice', 'bob'].map(async (user) => (await postGraphQL(stack.router.url, { query: '{ users { id reviewCount } }' }, { authorization: `Bearer ${tokens[user]}` })).json() as Users),
    );
    expect(alice.errors).toBeUndefined();
    expect(bob.errors).toBeUndefined();
    const events = delegations(before);
    expect(events.map((event) => event.subject).sort()).toEqual(['alice', 'bob']);
    for (const event of events) expect(event.operations).toBe(alice.data.users.length);
  });
});
