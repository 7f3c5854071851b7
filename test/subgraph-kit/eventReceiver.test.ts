import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createYoga } from 'graphql-yoga';
import { createTokenVerifier, deputyApolloPlugin, deputyContext, everyone, protectSchema, useDeputy, useSecurityEvents, type DeputyContext, type SubgraphTokenVerifier } from '../../subgraph-kit/index.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { routerDelegation } from '../helpers/delegatedTokens.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { claimsChanged, pushSet, sessionToken, signSet } from '../helpers/securityEvents.js';

// Subgraphs hear the issuer's security events too: the kit's receiver (verifier.events) at
// POST /events, verified with the subgraph's own audience, revokes in the verifier it belongs to.

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { whoami: String }
`;
const schema = () =>
  protectSchema(
    'inventory',
    buildSubgraphSchema({ typeDefs: parse(SDL), resolvers: { Query: { whoami: (_: unknown, __: unknown, { deputy }: DeputyContext) => deputy?.subject } } as never }),
    { readScope: 'inventory:read', types: { Query: { fields: { whoami: everyone } } } },
  );

async function listen(server: Server): Promise<{ origin: string; stop(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the demo subgraphs' POST /events", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const subgraphUrl = (name: string) => stack.subgraphs.find((subgraph) => subgraph.name === name)!.url;
  const lastTokenFor = (subgraph: string, sub: string) =>
    stack.received.filter((request) => request.subgraph === subgraph && claimsOf(request.authorization[0].slice(7)).sub === sub).at(-1)!.authorization[0].slice(7);

  it("refuses the user's tokens at the subgraph the issuer told, and the router recovers with a fresh exchange", async () => {
    const alice = await sessionToken(stack.auth, 'alice', 'alice-kit');
    const ask = () => postGraphQL(stack.router.url, { query: '{ topProducts { name inStock } }' }, { authorization: `Bearer ${alice}` });
    expect((await ask()).json()).not.toHaveProperty('errors');
    const inventoryToken = lastTokenFor('inventory', 'alice');
    const productsToken = lastTokenFor('products', 'alice');
    const direct = (url: string, token: string) => postGraphQL(url, { query: '{ __typename }' }, { authorization: `Bearer ${token}` });
    expect((await direct(subgraphUrl('inventory'), inventoryToken)).status).toBe(200);

    const set = await signSet(stack.auth, 'inventory', claimsChanged(stack.auth, 'alice', Number(claimsOf(inventoryToken).iat)));
    expect((await pushSet(subgraphUrl('inventory').replace(/\/graphql$/, '/events'), set)).status).toBe(202);

    const refused = await direct(subgraphUrl('inventory'), inventoryToken);
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'token_revoked' } }] });
    // Only the subgraph told: products still takes its token, and the router's edge still takes alice's.
    expect((await direct(subgraphUrl('products'), productsToken)).status).toBe(200);
    // The router's cached inventory token is refused; its one retry exchanges a token issued after the event.
    await expect.poll(async () => (await ask()).json()).toMatchObject({ data: { topProducts: expect.arrayContaining([expect.objectContaining({ inStock: expect.any(Boolean) })]) } });
  });

  it("refuses a SET for the router's audience at a subgraph (invalid_audience)", async () => {
    const set = await signSet(stack.auth, 'deputy-router', claimsChanged(stack.auth, 'bob'));
    const response = await pushSet(subgraphUrl('reviews').replace(/\/graphql$/, '/events'), set);
    expect(response).toMatchObject({ status: 400, body: { err: 'invalid_audience' } });
    expect(stack.verifiers.reviews.revocations.size).toBe(0);
  });
});

describe('the kit receiver in the servers subgraph teams run', () => {
  let auth: TestAuth;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    auth = await startAuth();
    for (const user of ['alice', 'bob']) tokens[user] = await routerDelegation(auth, await auth.userToken(user), 'inventory', 'inventory:read');
  });
  afterAll(() => auth?.stop());

  const servers: [string, (verifier: SubgraphTokenVerifier) => Promise<{ graphql: string; events: string; stop(): Promise<void> }>][] = [
    [
      'GraphQL Yoga with useSecurityEvents',
      async (verifier) => {
        const yoga = createYoga({ schema: schema(), plugins: [useDeputy({ subgraph: 'inventory', verifier }), useSecurityEvents(verifier.events)], maskedErrors: false, graphiql: false, logging: false });
        const served = await listen(createServer(yoga));
        return { graphql: `${served.origin}/graphql`, events: `${served.origin}/events`, stop: served.stop };
      },
    ],
    [
      'Apollo Server standalone, with the node handler on a listener of its own',
      async (verifier) => {
        const apollo = new ApolloServer<DeputyContext>({ schema: schema(), plugins: [deputyApolloPlugin({ subgraph: 'inventory', verifier })] });
        const { url } = await startStandaloneServer(apollo, { listen: { host: '127.0.0.1', port: 0 }, context: deputyContext(verifier) });
        const events = await listen(createServer((req, res) => void verifier.events.node(req, res)));
        return { graphql: url, events: `${events.origin}/events`, stop: async () => (await apollo.stop(), await events.stop()) };
      },
    ],
  ];

  describe.each(servers)('%s', (_name, start) => {
    let served: Awaited<ReturnType<(typeof servers)[0][1]>>;
    beforeAll(async () => {
      served = await start(createTokenVerifier({ issuer: auth.issuer, audience: 'inventory' }));
    });
    afterAll(() => served?.stop());
    const whoami = (token: string) => postGraphQL(served.graphql, { query: '{ whoami }' }, { authorization: `Bearer ${token}` });

    it("refuses a user's tokens after the issuer pushed their claims change, and serves the others", async () => {
      expect((await whoami(tokens.alice)).json()).toMatchObject({ data: { whoami: 'alice' } });
      const set = await signSet(auth, 'inventory', claimsChanged(auth, 'alice', Number(claimsOf(tokens.alice).iat)));
      expect((await pushSet(served.events, set)).status).toBe(202);
      const refused = await whoami(tokens.alice);
      expect(refused.status).toBe(401);
      expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'token_revoked' } }] });
      expect((await whoami(tokens.bob)).status).toBe(200);
    });

    it('refuses a SET with a bad content type, and a GET', async () => {
      const set = await signSet(auth, 'inventory', claimsChanged(auth, 'bob'));
      expect(await pushSet(served.events, set, 'text/plain')).toMatchObject({ status: 400, body: { err: 'invalid_request' } });
      expect((await fetch(served.events)).status).toBe(405);
      expect((await whoami(tokens.bob)).status).toBe(200);
    });
  });
});
