import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';

interface Body {
  data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { path?: (string | number)[]; extensions: { code: string; rule?: string } }[];
}

const PEOPLE = '{ me { username birthday } users { username birthday } }';
const BIRTHDAY_RULE = 'scope accounts:read and (the user themself or role support)';
const forbiddenPaths = (body: Body) =>
  (body.errors ?? []).filter((e) => e.extensions.code === 'FORBIDDEN').map((e) => e.path?.join('.'));

describe('subgraphs enforce their own RBAC, through the router', () => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  const as = async (user: string, query: string, variables?: Record<string, unknown>) =>
    (await postGraphQL(stack.router.url, { query, variables }, { authorization: `Bearer ${tokens[user]}` })).json() as Body;

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo' });
    for (const user of ['alice', 'bob', 'carol']) tokens[user] = await stack.auth.userToken(user);
    tokens.aliceReadOnly = await stack.auth.userToken('alice', 'openid accounts:read products:read reviews:read');
  });
  afterAll(() => stack?.stop());

  it('shows a birthday to the user themself and to support, and FORBIDDEN at the exact path to others', async () => {
    const alice = await as('alice', PEOPLE);
    expect(alice.data?.me).toEqual({ username: 'alice', birthday: 631152000 });
    const aliceIndex = alice.data?.users.findIndex((u: { username: string }) => u.username === 'alice');
    expect(alice.data?.users[aliceIndex].birthday).toBe(631152000);
    const others = alice.data?.users.map((_: unknown, i: number) => i).filter((i: number) => i !== aliceIndex);
    expect(forbiddenPaths(alice).sort()).toEqual(others.map((i: number) => `users.${i}.birthday`).sort());
    expect(alice.errors?.[0].extensions.rule).toBe(BIRTHDAY_RULE);
    expect(alice.data?.users.every((u: { username: string }) => typeof u.username === 'string')).toBe(true);

    const bob = await as('bob', PEOPLE);
    expect(bob.errors).toBeUndefined();
    expect(bob.data?.users.every((u: { birthday: number }) => typeof u.birthday === 'number')).toBe(true);
  });

  it('needs the inventory:read scope for inStock, field by field, with the rest intact', async () => {
    const body = await as('aliceReadOnly', '{ topProducts(first: 2) { name inStock shippingEstimate } }');
    expect(body.data?.topProducts).toEqual([
      { name: 'Table', inStock: null, shippingEstimate: null },
      { name: 'Couch', inStock: null, shippingEstimate: null },
    ]);
    expect(forbiddenPaths(body)).toEqual(['topProducts.0.inStock', 'topProducts.1.inStock']);
    const full = await as('alice', '{ topProducts(first: 2) { name inStock } }');
    expect(full.data?.topProducts).toEqual([{ name: 'Table', inStock: true }, { name: 'Couch', inStock: false }]);
  });

  it('lets only a clerk with inventory:write change stock, and a role granted in inventory takes effect on the next request without a new token', async () => {
    const mutation = 'mutation($upc: String!, $inStock: Boolean!) { setStock(upc: $upc, inStock: $inStock) { upc inStock } }';
    // bob may delegate inventory:write (an entitlement at the authorization server) but is no clerk in inventory.
    const denied = await as('bob', mutation, { upc: '3', inStock: true });
    expect(denied.data?.setStock).toBeNull();
    expect(forbiddenPaths(denied)).toEqual(['setStock']);
    expect(denied.errors?.[0].extensions.rule).toBe('scope inventory:write and role clerk');

    const clerk = await as('carol', mutation, { upc: '3', inStock: true });
    expect(clerk.errors).toBeUndefined();
    expect(clerk.data?.setStock).toEqual({ upc: '3', inStock: true });

    stack.roles.inventory.grant('bob', 'clerk');
    try {
      const granted = await as('bob', mutation, { upc: '3', inStock: false });
      expect(granted.errors).toBeUndefined();
      expect(granted.data?.setStock).toEqual({ upc: '3', inStock: false });
    } finally {
      stack.roles.inventory.revoke('bob', 'clerk');
    }
    expect(forbiddenPaths(await as('bob', mutation, { upc: '3', inStock: true }))).toEqual(['setStock']);
  });

  it('lets only a pricing admin change a price', async () => {
    const mutation = 'mutation { setPrice(upc: "9", price: 8999) { name price } }';
    expect(forbiddenPaths(await as('bob', mutation))).toEqual(['setPrice']);
    expect((await as('carol', mutation)).data?.setPrice).toEqual({ name: 'Sofa', price: 8999 });
  });

  it('shows a draft review to its author only', async () => {
    const query = '{ topProducts(first: 1) { reviews { id draft author { username } } } }';
    const mine = await as('alice', query);
    expect(mine.data?.topProducts[0].reviews).toContainEqual({ id: '12', draft: true, author: { username: 'alice' } });
    const theirs = await as('bob', query);
    expect(theirs.data?.topProducts[0].reviews.map((r: { id: string }) => r.id)).not.toContain('12');
  });

  it('adds a review only with reviews:write, always as the token subject', async () => {
    const mutation = 'mutation { addReview(upc: "4", body: "Comfortable.") { body draft author { username } } }';
    expect(forbiddenPaths(await as('aliceReadOnly', mutation))).toEqual(['addReview']);
    const added = await as('bob', mutation);
    expect(added.errors).toBeUndefined();
    expect(added.data?.addReview).toEqual({ body: 'Comfortable.', draft: false, author: { username: 'bob' } });
  });

  it('reports its decisions (field, outcome, rule, roles looked up) in its response extensions, with no personal data', async () => {
    stack.received.length = 0;
    await as('alice', '{ users { username } }');
    const accountsToken = stack.received.find((r) => r.subgraph === 'accounts')!.authorization[0];
    const accounts = stack.subgraphs.find((s) => s.name === 'accounts')!;
    const direct = (await postGraphQL(accounts.url, { query: '{ users { birthday } }' }, { authorization: accountsToken })).json() as Body & {
      extensions?: { authorization?: unknown };
    };
    expect(direct.extensions?.authorization).toEqual({
      subgraph: 'accounts',
      decisions: [
        { field: 'User.birthday', decision: 'deny', rule: BIRTHDAY_RULE, roles: ['support'], count: 8 },
        { field: 'User.birthday', decision: 'allow', rule: BIRTHDAY_RULE, roles: ['support'], count: 1 },
      ],
    });
  });
});
