import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startYoga } from '../../examples/yoga-subgraph/server.js';
import { start as startApollo } from '../../examples/apollo-subgraph/server.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { postGraphQL } from '../helpers/graphql.js';
import { withAudiences } from '../../auth-server/withAudiences.js';
import { fetchServiceSdl } from '../../registry/checks/fetchServiceSdl.js';

// The examples accept the router's own token as an SDL reader through the kit's defaults alone:
// `_service { sdl }` for the registry's check before a publish, nothing else.

const EXAMPLES = [
  { name: 'wishlists', start: startYoga, sdl: 'popularWishes', field: '{ popularWishes }', server: 'examples/yoga-subgraph (GraphQL Yoga)' },
  { name: 'shipping', start: startApollo, sdl: 'carriers', field: '{ carriers }', server: 'examples/apollo-subgraph (Apollo Server)' },
];

describe.each(EXAMPLES)('$server and the SDL reader', (example) => {
  let auth: TestAuth;
  let served: { url: string; stop(): Promise<void> };
  let reader: string;

  beforeAll(async () => {
    auth = await startAuth((defaults) => withAudiences(defaults, [{ audience: example.name, resources: [`urn:deputy:subgraph:${example.name}`], scopes: [`${example.name}:read`] }]));
    served = await example.start({ issuer: auth.issuer, port: 0 });
    reader = String((await auth.token({ grant_type: 'client_credentials', audience: example.name })).body.access_token);
  });
  afterAll(async () => {
    await served?.stop();
    await auth?.stop();
  });

  it("serves `_service { sdl }` to the router's own token", async () => {
    expect(await fetchServiceSdl(served.url, reader)).toContain(example.sdl);
  });

  it('refuses that token any other operation: 401 UNAUTHENTICATED not_delegated', async () => {
    const response = await postGraphQL(served.url, { query: example.field }, { authorization: `Bearer ${reader}` });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', reason: 'not_delegated' } })] });
  });
});
