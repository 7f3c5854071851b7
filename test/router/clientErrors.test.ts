import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';

// What the client got wrong is a 4xx with a clear message, never a 500.

describe('client errors are 4xx', () => {
  let stack: TestStack;
  let token: string;
  const ask = (body: unknown) => postGraphQL(stack.router.url, body, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    stack = await startStack();
    token = await stack.auth.userToken('alice');
  });
  afterAll(() => stack?.stop());

  it('answers an unknown operationName with 400', async () => {
    const response = await ask({ query: 'query A { topProducts { name } } query B { users { id } }', operationName: 'C' });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ message: 'Unknown operation named "C".', extensions: { code: 'OPERATION_NOT_FOUND' } }] });
  });

  it('answers a document of several operations without operationName with 400', async () => {
    const response = await ask({ query: 'query A { topProducts { name } } query B { users { id } }' });
    expect(response.status).toBe(400);
  });

  it('answers a subscription with 400 SUBSCRIPTIONS_NOT_SUPPORTED', async () => {
    const response = await ask({ query: 'subscription { topProducts { name } }' });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { code: expect.stringMatching(/^(SUBSCRIPTIONS_NOT_SUPPORTED|GRAPHQL_VALIDATION_FAILED)$/) } }] });
  });

  it('answers a mutation sent with GET with 405, and a missing query with 400', async () => {
    const get = await fetch(`${stack.router.url}?query=${encodeURIComponent('mutation { setStock(upc: "1", inStock: true) { upc } }')}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(405);
    expect((await ask({ variables: {} })).status).toBe(400);
  });
});
