import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { fetchShareKey, isShareableFetch, operationTypeOf, type FetchIdentity } from '../../../router/delegation/fetchShareKey.js';
import { stableJson } from '../../../router/delegation/stableJson.js';

// A token-shaped string made at run time (the key only hashes it): no JWT lives in the repository.
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const TOKEN = `${segment({ alg: 'ES256' })}.${segment({ sub: 'alice' })}.${randomBytes(64).toString('base64url')}`;

const identity = (changes: Partial<FetchIdentity> = {}): FetchIdentity => ({
  url: 'http://127.0.0.1:4013/graphql',
  token: TOKEN,
  headers: [['traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']],
  query: 'query Stock__inventory__1($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}',
  operationName: 'Stock__inventory__1',
  variables: { representations: [{ __typename: 'Product', upc: '1' }], first: 2 },
  ...changes,
});

const fetchOf = (incoming: string, query: string) =>
  ({ kind: 'incoming operation', request: { query }, incomingRequestContext: { operation: { operation: incoming } }, context: {} }) as unknown as GraphQLDataSourceProcessOptions;
const healthCheck = { kind: 'health check', request: { query: '{__typename}' }, context: {} } as unknown as GraphQLDataSourceProcessOptions;

describe('the share key of a subgraph fetch', () => {
  it('is the same for the same token, document, variables and headers, whatever the order of the variables keys', () => {
    const reordered = identity({ variables: { first: 2, representations: [{ upc: '1', __typename: 'Product' }] } });
    expect(fetchShareKey(reordered)).toBe(fetchShareKey(identity()));
  });

  it('ignores the per-request trace context, which every request has its own of', () => {
    const other = identity({ headers: [['traceparent', '00-11111111111111111111111111111111-2222222222222222-01']] });
    expect(fetchShareKey(other)).toBe(fetchShareKey(identity()));
  });

  it('differs when the token, the document, the operation name, a variable, a header or the subgraph differs', () => {
    const base = fetchShareKey(identity());
    const variants = [
      identity({ token: `${TOKEN}x` }),
      identity({ token: undefined }),
      identity({ query: '{ topProducts { upc } }' }),
      identity({ operationName: 'Other' }),
      identity({ variables: { representations: [{ __typename: 'Product', upc: '2' }], first: 2 } }),
      identity({ variables: { representations: [{ __typename: 'Product', upc: '1' }] } }),
      identity({ headers: [['x-tenant', 'a']] }),
      identity({ url: 'http://127.0.0.1:4014/graphql' }),
      identity({ extensions: { persistedQuery: { version: 1 } } }),
    ];
    const keys = variants.map(fetchShareKey);
    expect(keys).not.toContain(base);
    expect(new Set(keys).size).toBe(variants.length);
  });

  it('holds no token: it is a SHA-256 digest', () => {
    const key = fetchShareKey(identity());
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

describe('stableJson', () => {
  it('sorts object keys at every depth, keeps array order and drops undefined like JSON', () => {
    expect(stableJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(stableJson([undefined, null, 'x'])).toBe('[null,null,"x"]');
    expect(stableJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });
});
