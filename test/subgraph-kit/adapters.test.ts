import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createYoga } from 'graphql-yoga';
import {
  all,
  any,
  condition,
  createTokenVerifier,
  deputyApolloPlugin,
  deputyContext,
  everyone,
  protectSchema,
  role,
  scope,
  useDeputy,
  when,
  type DeputyContext,
  type RuleSet,
  type TokenVerifier,
} from '../../subgraph-kit/index.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { routerDelegation } from '../helpers/delegatedTokens.js';
import { postGraphQL } from '../helpers/graphql.js';

// The kit's adapters in the servers subgraph teams run: a small inventory subgraph with its
// rules, served by Apollo Server (with the context function, or the plugin alone) and by
// GraphQL Yoga, verifying tokens the real authorization server issued through an exchange.

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { items: [Item] whoami: String }
  type Item @key(fields: "id") { id: ID! name: String stock: Int cost: Int }
`;
interface Item { id: string; name: string; stock: number; cost: number; owner: string; listed: boolean }
const ITEMS: Item[] = [
  { id: '1', name: 'lamp', stock: 3, cost: 10, owner: 'bob', listed: true },
  { id: '2', name: 'prototype', stock: 1, cost: 99, owner: 'bob', listed: false },
];
const COST_RULE = 'scope inventory:read and role clerk';

function protectedSchema() {
  const clerks = { has: (subject: string, name: string) => subject === 'carol' && name === 'clerk' };
  const rules: RuleSet = {
    readScope: 'inventory:read',
    types: {
      Query: { fields: { items: everyone, whoami: everyone } },
      Item: {
        object: any(condition<Item>('listed', (item) => item.listed), all(scope('inventory:read'), when<Item>('its owner', (subject, item) => subject === item.owner))),
        fields: { id: everyone, name: everyone, stock: scope('inventory:read'), cost: all(scope('inventory:read'), role(clerks, 'clerk')) },
      },
    },
  };
  const schema = buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: {
      Query: {
        items: () => ITEMS,
        // The kit's context value reaches the resolvers: who asks, and through whom.
        whoami: (_: unknown, __: unknown, { deputy }: DeputyContext) => `${deputy?.subject} via ${deputy?.actorChain.join(' > ')}`,
      },
      Item: { __resolveReference: (ref: { id: string }) => ITEMS.find((item) => item.id === ref.id) },
    } as never,
  });
  return protectSchema('inventory', schema, rules);
}

interface Served { url: string; stop(): Promise<void> }

async function listenOn(server: Server, path: string): Promise<Served> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function apollo(verifier: TokenVerifier, withContextFunction: boolean): Promise<Served> {
  const server = new ApolloServer<DeputyContext>({ schema: protectedSchema(), plugins: [deputyApolloPlugin({ subgraph: 'inventory', verifier })] });
  const context = withContextFunction ? deputyContext(verifier) : async () => ({}) as DeputyContext;
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 }, context });
  return { url, stop: () => server.stop() };
}

async function yoga(verifier: TokenVerifier): Promise<Served> {
  // Errors unmasked: under vitest the kit's sources load graphql's ESM build and Yoga its CommonJS
  // one, so Yoga would take the kit's FORBIDDEN for a foreign error; a deployed server loads one copy.
  const handler = createYoga({ schema: protectedSchema(), plugins: [useDeputy({ subgraph: 'inventory', verifier })], maskedErrors: false, graphiql: false, logging: false });
  return listenOn(createServer(handler), '/graphql');
}

const SERVERS: [string, (verifier: TokenVerifier) => Promise<Served>][] = [
  ['Apollo Server with deputyContext', (verifier) => apollo(verifier, true)],
  ['Apollo Server with the plugin alone', (verifier) => apollo(verifier, false)],
  ['GraphQL Yoga with useDeputy', yoga],
];

type Body = { data?: Record<string, unknown>; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };

let auth: TestAuth;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  auth = await startAuth();
  for (const user of ['alice', 'bob', 'carol']) tokens[user] = await routerDelegation(auth, await auth.userToken(user), 'inventory', 'inventory:read');
  tokens.products = await routerDelegation(auth, await auth.userToken('alice'), 'products', 'products:read');
  // The router's own client-credentials token for this subgraph: an SDL reader, by the kit's default.
  const reader = await auth.token({ grant_type: 'client_credentials', audience: 'inventory' });
  tokens.reader = String(reader.body.access_token);
});
afterAll(() => auth?.stop());

describe.each(SERVERS)('the subgraph kit in %s', (_name, start) => {
  let served: Served;
  const ask = async (token: string | undefined, query: string, variables?: Record<string, unknown>) => {
    const response = await postGraphQL(served.url, { query, variables }, token === undefined ? {} : { authorization: `Bearer ${token}` });
    return { status: response.status, body: response.json() as Body, text: response.text };
  };

  beforeAll(async () => {
    // No keys and no jwks_uri: the verifier discovers the issuer's on first use.
    served = await start(createTokenVerifier({ issuer: auth.issuer, audience: 'inventory' }));
  });
  afterAll(() => served?.stop());

  it('serves an allowed field, with the caller and the router as its actor in the context', async () => {
    const { status, body } = await ask(tokens.carol, '{ whoami items { name stock cost } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ whoami: 'carol via deputy-router', items: [{ name: 'lamp', stock: 3, cost: 10 }] });
  });

  it("denies a field with FORBIDDEN and the rule's name, and keeps the rest of the response", async () => {
    const { status, body } = await ask(tokens.alice, '{ items { name cost } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ items: [{ name: 'lamp', cost: null }] });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['items', 0, 'cost'], extensions: expect.objectContaining({ code: 'FORBIDDEN', rule: COST_RULE }) })]);
  });

  it('reports its decisions in extensions.authorization, in the shape the router reads', async () => {
    const { body } = await ask(tokens.alice, '{ items { name stock cost } }');
    expect(body.extensions?.authorization).toEqual({
      subgraph: 'inventory',
      decisions: expect.arrayContaining([
        { field: 'Item.stock', decision: 'allow', rule: 'scope inventory:read', count: 1 },
        { field: 'Item.cost', decision: 'deny', rule: COST_RULE, roles: ['clerk'], count: 1 },
        { field: 'Query.items', decision: 'withhold', rule: 'listed or (scope inventory:read and its owner)', count: 1 },
      ]),
    });
  });

  it("applies the entity's object rule to _entities: the owner sees an unlisted item, anyone else gets null", async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Item { name } } }';
    const variables = { r: [{ __typename: 'Item', id: '2' }] };
    expect((await ask(tokens.bob, query, variables)).body.data).toEqual({ _entities: [{ name: 'prototype' }] });
    const alice = await ask(tokens.alice, query, variables);
    expect(alice.body.data).toEqual({ _entities: [null] });
    expect(alice.body.extensions?.authorization).toMatchObject({ decisions: [expect.objectContaining({ field: 'Item', decision: 'withhold' })] });
  });

  it.each([
    ['plainly', '{ _service { sdl } }'],
    ['through a fragment and an alias', '{ ...Sdl } fragment Sdl on Query { schema: _service { sdl __typename } }'],
  ])("lets the router's own token read `_service { sdl }` %s", async (_how, query) => {
    const { status, body } = await ask(tokens.reader, query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toContain('type Item');
  });

  it.each([
    ['a real field', '{ items { name } }', undefined],
    ['a real field beside _service', '{ _service { sdl } items { name } }', undefined],
    ['introspection', '{ __schema { queryType { name } } }', undefined],
    ['the other operation of the document', 'query Sdl { _service { sdl } } query Items { items { id } }', 'Items'],
  ])("refuses the router's own token %s: 401 UNAUTHENTICATED not_delegated, nothing run", async (_what, query, operationName) => {
    const response = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.reader}` },
      body: JSON.stringify({ query, operationName }),
    });
    const body = (await response.json()) as Body;
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', reason: 'not_delegated' } })]);
  });

  it.each<[string, () => string | undefined, string]>([
    ['no token', () => undefined, 'missing_token'],
    ["another subgraph's token", () => `Bearer ${tokens.products}`, 'wrong_audience'],
    ['a tampered token', () => `Bearer ${tokens.alice.slice(0, -4)}AAAA`, 'invalid_signature'],
    ['a bare token without the Bearer scheme', () => tokens.alice, 'not_bearer'],
  ])('answers %s with 401 UNAUTHENTICATED, its reason and a WWW-Authenticate challenge', async (_what, authorization, reason) => {
    const header = authorization();
    const response = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header ? { authorization: header } : {}) },
      body: JSON.stringify({ query: '{ items { name } }' }),
    });
    const body = (await response.json()) as Body;
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
  });
});
