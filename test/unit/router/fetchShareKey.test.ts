import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { fetchShareKey, isShareableFetch, operationTypeOf, type SentRequest } from '../../../router/delegation/fetchShareKey.js';

// A token-shaped string made at run time (the key only hashes it): no JWT lives in the repository.
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const TOKEN = `${segment({ alg: 'ES256' })}.${segment({ sub: 'alice' })}.${randomBytes(64).toString('base64url')}`;

const QUERY = 'query Stock__inventory__1($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}';
const body = (variables: unknown, operationName = 'Stock__inventory__1', query = QUERY) => JSON.stringify({ query, operationName, variables });

const sent = (changes: Partial<SentRequest> = {}): SentRequest => ({
  url: 'http://127.0.0.1:4013/graphql',
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  body: body({ representations: [{ __typename: 'Product', upc: '1' }], first: 2 }),
  ...changes,
});

const fetchOf = (incoming: string, query: string) =>
  ({ kind: 'incoming operation', request: { query }, incomingRequestContext: { operation: { operation: incoming } }, context: {} }) as unknown as GraphQLDataSourceProcessOptions;
const healthCheck = { kind: 'health check', request: { query: '{__typename}' }, context: {} } as unknown as GraphQLDataSourceProcessOptions;

describe('the share key of a subgraph fetch', () => {
  it('is the same for the same URL, token, headers and body', () => {
    expect(fetchShareKey(sent())).toBe(fetchShareKey(sent()));
    expect(fetchShareKey(sent({ headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } }))).toBe(fetchShareKey(sent()));
  });

  it('ignores the per-request trace context, which every request has its own of', () => {
    const other = sent({ headers: { ...sent().headers, traceparent: '00-11111111111111111111111111111111-2222222222222222-01' } });
    expect(fetchShareKey(other)).toBe(fetchShareKey(sent()));
  });

  it('differs when the token, a header, the subgraph or any byte of the body differs', () => {
    const base = fetchShareKey(sent());
    const { authorization: _dropped, ...withoutToken } = sent().headers;
    const variants = [
      sent({ headers: { ...sent().headers, authorization: `Bearer ${TOKEN}x` } }),
      sent({ headers: withoutToken }),
      sent({ headers: { ...sent().headers, 'x-tenant': 'a' } }),
      sent({ url: 'http://127.0.0.1:4014/graphql' }),
      sent({ body: body({ representations: [{ __typename: 'Product', upc: '2' }], first: 2 }) }),
      sent({ body: body({ representations: [{ __typename: 'Product', upc: '1' }] }) }),
      sent({ body: body({ representations: [{ __typename: 'Product', upc: '1' }], first: 2 }, 'Other') }),
      sent({ body: body({ representations: [{ __typename: 'Product', upc: '1' }], first: 2 }, undefined, '{ topProducts { upc } }') }),
      // The same variables in another key order are other bytes: not shared (a missed share, never a wrong one).
      sent({ body: body({ first: 2, representations: [{ __typename: 'Product', upc: '1' }] }) }),
    ];
    const keys = variants.map(fetchShareKey);
    expect(keys).not.toContain(base);
    expect(new Set(keys).size).toBe(variants.length);
  });

  it('cannot be matched by moving bytes from one part into the next', () => {
    const split = (url: string, value: string, text: string) => fetchShareKey({ url, headers: { 'x-a': value }, body: text });
    expect(split('http://a/', 'bc', 'd')).not.toBe(split('http://a/', 'b', 'cd'));
    expect(fetchShareKey({ url: 'http://a/', headers: { 'x-a': '1' }, body: '' })).not.toBe(fetchShareKey({ url: 'http://a/', headers: {}, body: 'x-a1' }));
  });

  it('holds no token: it is a SHA-256 digest', () => {
    const key = fetchShareKey(sent());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain(TOKEN);
  });
});

describe('which fetches may share', () => {
  it('a query fetch of a query operation may', () => {
    expect(isShareableFetch(fetchOf('query', 'query Q__products__0{topProducts{upc}}'))).toBe(true);
    expect(isShareableFetch(fetchOf('query', '{topProducts{upc}}'))).toBe(true);
  });

  it('a mutation or subscription fetch never does', () => {
    expect(isShareableFetch(fetchOf('mutation', 'mutation M__products__0{setPrice(upc:"1",price:2){upc}}'))).toBe(false);
    expect(isShareableFetch(fetchOf('subscription', 'subscription S__reviews__0{added{id}}'))).toBe(false);
  });

  it("a mutation's follow-up entity query never does: it must read what its own mutation wrote", () => {
    expect(isShareableFetch(fetchOf('mutation', 'query M__inventory__1($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}'))).toBe(false);
  });

  it('a health check or a document that does not start with an operation never does', () => {
    expect(isShareableFetch(healthCheck)).toBe(false);
    expect(isShareableFetch(fetchOf('query', 'fragment F on Product{upc} query Q{topProducts{...F}}'))).toBe(false);
  });

  it('reads the operation type from the first token of the document', () => {
    expect(operationTypeOf('  query X { a }')).toBe('query');
    expect(operationTypeOf('# comment\n{ a }')).toBe('query');
    expect(operationTypeOf('mutation{a}')).toBe('mutation');
    expect(operationTypeOf('subscription{a}')).toBe('subscription');
    expect(operationTypeOf('"unterminated')).toBeUndefined();
    expect(operationTypeOf('')).toBeUndefined();
  });
});
