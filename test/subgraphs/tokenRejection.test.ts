import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHmac } from 'node:crypto';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf, errorCodes } from '../helpers/decode.js';
import { foreignToken, headerOf, unsignedToken } from '../helpers/forgeToken.js';

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
  const expectRejected = async (subgraph: string, token: string) => {
    const response = await send(subgraph, token);
    expect(response.status).toBe(401);
    expect(errorCodes(response.json())).toEqual(['UNAUTHENTICATED']);
    expect(response.text).not.toContain(token);
  };

  it('accepts the token exchanged for it', async () => {
    expect((await send('inventory', tokenFor.inventory)).status).toBe(200);
  });

  it('rejects a token exchanged for another subgraph', async () => {
    await expectRejected('inventory', tokenFor.accounts);
    await expectRejected('accounts', tokenFor.reviews);
  });

  it("rejects the user's router token at every subgraph", async () => {
    for (const subgraph of ['accounts', 'products', 'inventory', 'reviews']) await expectRejected(subgraph, alice);
  });

  it('rejects a request without a token', async () => {
    const inventory = stack.subgraphs.find((s) => s.name === 'inventory')!;
    const response = await postGraphQL(inventory.url, { query: '{ __typename }' });
    expect(response.status).toBe(401);
    expect(errorCodes(response.json())).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a token signed by a foreign key that reuses the real kid', async () => {
    const forged = await foreignToken(claimsOf(tokenFor.inventory), { kid: headerOf(tokenFor.inventory).kid });
    await expectRejected('inventory', forged);
  });

  it('rejects alg none', async () => {
    await expectRejected('inventory', unsignedToken(claimsOf(tokenFor.inventory), { kid: headerOf(tokenFor.inventory).kid }));
  });

  it('rejects HS256 signed with the issuer public key as the secret', async () => {
    const jwks = (await (await fetch(`${auth.issuer}/jwks`)).json()) as { keys: object[] };
    const secret = JSON.stringify(jwks.keys[0]);
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: headerOf(tokenFor.inventory).kid })).toString('base64url');
    const payload = tokenFor.inventory.split('.')[1];
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    await expectRejected('inventory', `${header}.${payload}.${signature}`);
  });

  it('rejects an expired token', async () => {
    const exp = Number(claimsOf(tokenFor.products).exp);
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 1100);
    await expectRejected('products', tokenFor.products);
  });
});
