import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../examples/yoga-subgraph/server.js';
import { startExampleStack, type ExampleStack } from '../helpers/startExampleStack.js';

// examples/yoga-subgraph behind the router, composed with the demo subgraphs: its rules hold on
// its root field, on the fields it adds to User and through `_entities`, and its decisions appear
// in the delegation trace.

const BUDGET_RULE = 'scope wishlists:read and role gift-planner';

describe('examples/yoga-subgraph behind the router', () => {
  let example: ExampleStack;
  let alice: string;

  beforeAll(async () => {
    example = await startExampleStack({
      name: 'wishlists',
      scopes: ['wishlists:read'],
      sdlFile: new URL('../../examples/yoga-subgraph/schema.graphql', import.meta.url),
      start,
      entitlements: { alice: ['wishlists:read'] },
    });
    alice = await example.userToken('alice');
  });
  afterAll(() => example?.stop());

  it('serves its public root field', async () => {
    const body = await example.ask(alice, '{ popularWishes }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ popularWishes: ['telescope', 'tea set'] });
  });

  it("denies a field that needs a role the user lacks: null, FORBIDDEN with the rule's name", async () => {
    const body = await example.ask(alice, '{ me { username wishlistBudget } }');
    expect(body.data).toEqual({ me: { username: 'alice', wishlistBudget: null } });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['me', 'wishlistBudget'], extensions: expect.objectContaining({ code: 'FORBIDDEN', rule: BUDGET_RULE }) })]);
  });

  it("applies User's object rule to _entities: her own and a shared wishlist, not bob's", async () => {
    const body = await example.ask(alice, '{ users { username wishlist } }');
    expect(body.errors).toBeUndefined();
    const wishlists = Object.fromEntries((body.data?.users as { username: string; wishlist: string[] | null }[]).map((user) => [user.username, user.wishlist]));
    expect(wishlists).toMatchObject({ alice: ['telescope'], bob: null, carol: ['tea set', 'atlas'], urigo: null });
  });

  it("shows the subgraph's decisions in the delegation trace", async () => {
    const body = await example.ask(alice, '{ me { wishlist wishlistBudget } users { wishlist } }');
    // Two fetches of wishlists (me's user, then the users): their decisions together.
    const decisions = body.extensions!.delegationTrace!.fetches.filter((fetch) => fetch.subgraph === 'wishlists').flatMap((fetch) => fetch.authorization ?? []);
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'User.wishlist', decision: 'allow', rule: 'scope wishlists:read' }),
        expect.objectContaining({ field: 'User.wishlistBudget', decision: 'deny', rule: BUDGET_RULE }),
        expect.objectContaining({ field: 'User', decision: 'withhold', rule: 'shared or (scope wishlists:read and its owner)' }),
      ]),
    );
    expect(body.extensions!.delegationTrace!.fields['me.wishlistBudget'].denied).toEqual({ rule: BUDGET_RULE });
  });
});
