import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';

// Real exchanged tokens at the wrong subgraph; forged and malformed tokens are in test/security/.
describe('each subgraph accepts only a valid token for its own audience', () => {
  let stack: TestStack;
  let auth: TestAuth;
  let alice: string;
  const tokenFor: Record<string, string> = {};

  beforeAll(async () => {
    // Short user tokens so an exchanged token expires within the test; subgraphs allow no skew.
    auth = await startAuth({ userTokenTtlSeconds: 3 });
    stack = await startStack({ auth, subgraphClockToleranceSeconds: 0 });
    alice = await auth.userToken('alice');
    await postGraphQL(stack.router.url, { query: '{ topProducts { name inStock reviews { body } } users { name } }' }, { authorization: `Bearer ${alice}` });
    for (const request of stack.received) tokenFor[request.subgraph] = request.authorization[0].replace(/^Bearer /, '');
  });
  afterAll(async () => {
    await stack?.stop();
    await auth?.stop();
  });

  const send = async (subgraph: string, token: string) => {
    const target = stack.subgraphs.find((s) => s.name === subgraph)!;
    return postGraphQL(target.url, { query: '{ __typename }' }, { authorization: `Bearer ${token}` });
  };
  const expectRejected = async (subgraph: string, token: string, expectedReason: string) => {
    const response = await send(subgraph, token);
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: expectedReason } }] });
    expect(response.text).not.toContain(token);
  };

  it('accepts the token exchanged for it', async () => {
    expect((await send('inventory', tokenFor.inventory)).status).toBe(200);
  });

  it('rejects a token exchanged for another subgraph', async () => {
    await expectRejected('inventory', tokenFor.accounts, 'wrong_audience');
    await expectRejected('accounts', tokenFor.reviews, 'wrong_audience');
  });

  it("rejects the user's router token at every subgraph", async () => {
    for (const subgraph of ['accounts', 'products', 'inventory', 'reviews']) await expectRejected(subgraph, alice, 'wrong_audience');
  });

  it('rejects an expired token', async () => {
    const exp = Number(claimsOf(tokenFor.products).exp);
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 1100);
    await expectRejected('products', tokenFor.products, 'token_expired');
  });
});
