import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { postGraphQL } from '../helpers/graphql.js';

// Abusive requests are refused with 400 (413 for the body) and a stable code before Apollo
// parses or plans them: no token exchange and no subgraph fetch happens.

const LIMITS = { maxDepth: 6, maxBreadth: 20, maxAliases: 5, maxFields: 200, maxTokens: 500, maxVariablesBytes: 1024, maxBatchSize: 3 };

const nested = (depth: number) => `{ ${'users { reviews { product { reviews { author { '.repeat(1)}${'reviews { product { reviews { author { '.repeat(Math.ceil(depth / 4))}id${' }'.repeat(5 + 4 * Math.ceil(depth / 4))} }`;

describe('request abuse is refused before any subgraph or exchange work', () => {
  let auth: TestAuth;
  let production: TestStack;
  let development: TestStack;
  let alice: string;

  beforeAll(async () => {
    auth = await startAuth();
    production = await startStack({ auth, routerConfig: (config) => ({ ...config, mode: 'production', limits: LIMITS, listen: { ...config.listen, bodyLimitBytes: 64 * 1024 } }) });
    development = await startStack({ auth });
    alice = await auth.userToken('alice');
  });
  afterAll(async () => {
    await production?.stop();
    await development?.stop();
    await auth?.stop();
  });

  const send = (stack: TestStack, body: unknown) => postGraphQL(stack.router.url, body, { authorization: `Bearer ${alice}` });
  const expectRefused = async (body: unknown, status: number, code: string, limit?: number) => {
    const exchanges = auth.exchanges();
    const fetches = production.received.length;
    const response = await send(production, body);
    expect(response.status).toBe(status);
    const error = (response.json().errors as { message: string; extensions: Record<string, unknown> }[])[0];
    expect(error.extensions.code).toBe(code);
    if (limit !== undefined) expect(error.extensions.limit).toBe(limit);
    expect(error.message.length).toBeGreaterThan(10);
    expect(auth.exchanges()).toBe(exchanges);
    expect(production.received.length).toBe(fetches);
  };

  it('serves a query within every limit', async () => {
    const response = await send(production, { query: '{ users { name reviews { body } } }' });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ data: { users: expect.any(Array) } });
  });

  it('refuses a query nested past maxDepth with QUERY_TOO_DEEP', async () => {
    await expectRefused({ query: nested(8) }, 400, 'QUERY_TOO_DEEP', LIMITS.maxDepth);
  });

  it('refuses a selection set wider than maxBreadth with QUERY_TOO_BROAD', async () => {
    const fields = Array.from({ length: 21 }, () => 'id').join(' ');
    await expectRefused({ query: `{ users { ${fields} } }` }, 400, 'QUERY_TOO_BROAD', LIMITS.maxBreadth);
  });

  it('refuses an alias bomb with TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `u${i}: users { id }`).join(' ');
    await expectRefused({ query: `{ ${aliases} }` }, 400, 'TOO_MANY_ALIASES', LIMITS.maxAliases);
  });

  it('refuses a fragment bomb with QUERY_TOO_COMPLEX, in linear time', async () => {
    const levels = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    await expectRefused({ query: `{ ...F0 } ${levels.join(' ')} fragment F40 on Query { users { id } }` }, 400, 'QUERY_TOO_COMPLEX', LIMITS.maxFields);
  });

  it('refuses a query text over maxTokens with QUERY_TOO_LARGE', async () => {
    await expectRefused({ query: `{ ${'__typename '.repeat(600)} }` }, 400, 'QUERY_TOO_LARGE', LIMITS.maxTokens);
  });

  it('refuses variables over maxVariablesBytes with VARIABLES_TOO_LARGE', async () => {
    await expectRefused({ query: 'query ($id: ID!) { user(id: $id) { name } }', variables: { id: 'x'.repeat(2000) } }, 400, 'VARIABLES_TOO_LARGE', LIMITS.maxVariablesBytes);
  });

  it('refuses a body over the limit with 413 BODY_TOO_LARGE', async () => {
    await expectRefused({ query: '{ users { id } }', padding: 'x'.repeat(70 * 1024) }, 413, 'BODY_TOO_LARGE');
  });

  it('refuses a batch larger than maxBatchSize with BATCH_TOO_LARGE, and one abusive operation fails its whole batch', async () => {
    await expectRefused(Array.from({ length: 4 }, () => ({ query: '{ users { id } }' })), 400, 'BATCH_TOO_LARGE', LIMITS.maxBatchSize);
    await expectRefused([{ query: '{ users { id } }' }, { query: nested(8) }], 400, 'QUERY_TOO_DEEP', LIMITS.maxDepth);
  });

  it('serves a batch within maxBatchSize, one result per operation', async () => {
    const response = await send(production, [{ query: '{ users { id } }' }, { query: '{ topProducts { upc } }' }]);
    expect(response.status).toBe(200);
    const results = JSON.parse(response.text) as { data: Record<string, unknown> }[];
    expect(results.map((result) => Object.keys(result.data))).toEqual([['users'], ['topProducts']]);
  });

  it('refuses batching altogether by default (maxBatchSize 1)', async () => {
    const response = await send(development, [{ query: '{ users { id } }' }, { query: '{ users { id } }' }]);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'BATCH_TOO_LARGE', limit: 1 } }] });
  });

  it('refuses introspection in production mode with INTROSPECTION_DISABLED, also hidden in a fragment or sent by GET', async () => {
    await expectRefused({ query: '{ __schema { types { name } } }' }, 400, 'INTROSPECTION_DISABLED');
    await expectRefused({ query: '{ ...I } fragment I on Query { __type(name: "User") { name } }' }, 400, 'INTROSPECTION_DISABLED');
    const url = `${production.router.url}?query=${encodeURIComponent('{ __schema { queryType { name } } }')}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${alice}`, 'apollo-require-preflight': '1' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'INTROSPECTION_DISABLED' } }] });
  });

  it('still answers __typename in production mode', async () => {
    const response = await send(production, { query: '{ __typename }' });
    expect(response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('allows introspection in development mode (the default)', async () => {
    const response = await send(development, { query: '{ __schema { queryType { name } } }' });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
