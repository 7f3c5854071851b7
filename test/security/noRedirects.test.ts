import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';

// No outbound connection the configuration does not name: a subgraph answering with a redirect
// is an error, and the router never follows it (here, to the real subgraph it names).

describe('a subgraph that answers with a redirect', () => {
  let stack: TestStack;
  let redirector: Server;
  let redirected = 0;

  beforeAll(async () => {
    stack = await startStack({
      routeSubgraph: async (name, url) => {
        if (name !== 'inventory') return url;
        redirector = createServer((_req, res) => {
          redirected += 1;
          res.writeHead(307, { location: url }).end();
        });
        await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(redirector.address() as { port: number }).port}/graphql`;
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => redirector?.close(resolve));
  });

  it('is not followed: that subgraph’s fields fail, the redirect target is never called, the others are served', async () => {
    const alice = await stack.auth.userToken('alice');
    const answer = await postGraphQL(stack.router.url, { query: '{ topProducts(first: 1) { name inStock } }' }, { authorization: `Bearer ${alice}` });
    const body = answer.json() as { data?: { topProducts: { name: string; inStock: boolean | null }[] }; errors?: unknown[] };
    expect(redirected).toBeGreaterThan(0);
    expect(stack.received.filter((request) => request.subgraph === 'inventory')).toEqual([]);
    expect(body.data?.topProducts[0]).toEqual({ name: 'Table', inStock: null });
    expect(body.errors?.length).toBeGreaterThan(0);
  });
});
