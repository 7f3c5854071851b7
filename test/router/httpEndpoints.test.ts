import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';

describe('router HTTP endpoints', () => {
  let stack: TestStack;
  let bearer: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack();
    bearer = { authorization: `Bearer ${await stack.auth.userToken('alice')}` };
  });
  afterAll(() => stack?.stop());

  const base = () => stack.router.url.replace(/\/graphql$/, '');

  it('answers GET /health with 200 once the supergraph is loaded', async () => {
    const response = await fetch(`${base()}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown path with 404 and a NOT_FOUND code', async () => {
    const response = await fetch(`${base()}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refuses a body that is not JSON with 400 BAD_JSON', async () => {
    const response = await postGraphQL(stack.router.url, '{"query": ', bearer);
    expect(response.status).toBe(400);
    expect(response.text).toContain('BAD_JSON');
  });

  it('refuses a body over the size limit with 413 BODY_TOO_LARGE', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ users { id } }', padding: 'x'.repeat(2 * 1024 * 1024) }, bearer);
    expect(response.status).toBe(413);
    expect(response.text).toContain('BODY_TOO_LARGE');
  });

  it('reports a query against an unknown field as a validation error without failing the server', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ nope }' }, bearer);
    expect(response.status).toBe(400);
    expect(response.text).toContain('GRAPHQL_VALIDATION_FAILED');
    const again = await postGraphQL(stack.router.url, { query: '{ users { id } }' }, bearer);
    expect(again.status).toBe(200);
  });
});
