import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { ACCESS_TOKEN_TYPE } from '../helpers/startAuth.js';
import { exchange, routerDelegation, serviceToken } from '../helpers/delegatedTokens.js';
import { REVIEW_LIMITS } from '../../subgraphs/reviews/resolvers.js';

// The outside review's attack classes against real processes (auth server, subgraphs, router),
// each refused with a clear code and nothing read or written. Each case below got through on
// the main before the authorization model was made structural.

interface Body {
  data?: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { path?: (string | number)[]; extensions: { code: string; rule?: string; argument?: string } }[];
  extensions?: { authorization?: { decisions: { field: string; decision: string; rule: string }[] } };
}

describe('the authorization model holds against an insider', () => {
  let stack: TestStack;
  const users: Record<string, string> = {};
  const subgraphUrl = (name: string) => stack.subgraphs.find((subgraph) => subgraph.name === name)!.url;
  const atSubgraph = async (name: string, token: string, query: string, variables?: Record<string, unknown>) =>
    (await postGraphQL(subgraphUrl(name), { query, variables }, { authorization: `Bearer ${token}` })).json() as Body;
  const throughRouter = async (user: string, query: string, variables?: Record<string, unknown>) =>
    (await postGraphQL(stack.router.url, { query, variables }, { authorization: `Bearer ${users[user]}` })).json() as Body;
  const codes = (body: Body) => (body.errors ?? []).map((error) => error.extensions.code);

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo' });
    for (const user of ['alice', 'bob', 'carol']) users[user] = await stack.auth.userToken(user);
  });
  afterAll(() => stack?.stop());

  describe('1. entity resolution applies the same rules as every other path', () => {
    const REVIEWS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { id body draft } } }';
    const USERS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id birthday } } }';

    it("withholds alice's draft from bob through _entities, as it is withheld from his lists", async () => {
      const listed = await throughRouter('bob', '{ topProducts(first: 1) { reviews { id } } }');
      expect(listed.data?.topProducts[0].reviews.map((review: { id: string }) => review.id)).not.toContain('12');
      const token = await routerDelegation(stack.auth, users.bob, 'reviews', 'reviews:read');
      const body = await atSubgraph('reviews', token, REVIEWS, { r: [{ __typename: 'Review', id: '12' }, { __typename: 'Review', id: '7' }] });
      expect(body.data?._entities).toEqual([null, { id: '7', body: expect.any(String), draft: false }]);
      expect(body.extensions?.authorization?.decisions).toContainEqual(expect.objectContaining({ field: 'Review', decision: 'withhold' }));
    });

    it('shows the draft to its author through _entities, with reviews:read', async () => {
      const token = await routerDelegation(stack.auth, users.alice, 'reviews', 'reviews:read');
      const body = await atSubgraph('reviews', token, REVIEWS, { r: [{ __typename: 'Review', id: '12' }] });
      expect(body.data?._entities).toEqual([{ id: '12', body: expect.any(String), draft: true }]);
    });

    it("refuses bob's birthday to alice through _entities: FORBIDDEN with the rule", async () => {
      const token = await routerDelegation(stack.auth, users.alice, 'accounts', 'accounts:read');
      const body = await atSubgraph('accounts', token, USERS, { r: [{ __typename: 'User', id: '8' }] });
      expect(body.data?._entities).toEqual([{ id: '8', birthday: null }]);
      expect(body.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'birthday'], extensions: { code: 'FORBIDDEN', rule: 'scope accounts:read and (the user themself or role support)' } });
    });

    it('withholds a draft returned by a mutation path from nobody but its author, and lists it to nobody else', async () => {
      const added = await throughRouter('bob', 'mutation { addReview(upc: "5", body: "Draft by bob.", draft: true) { id draft } }');
      expect(added.data?.addReview).toMatchObject({ draft: true });
      const others = await throughRouter('alice', '{ topProducts(first: 5) { reviews { id } } }');
      const ids = others.data?.topProducts.flatMap((product: { reviews: { id: string }[] }) => product.reviews.map((review) => review.id));
      expect(ids).not.toContain(added.data?.addReview.id);
    });
  });

  describe('2. a write needs the write scope as well as the role', () => {
    const SET_STOCK = 'mutation { setStock(upc: "2", inStock: true) { upc } }';

    it("refuses setStock to a clerk's token exchanged with an empty scope set", async () => {
      const token = await routerDelegation(stack.auth, users.carol, 'inventory');
      expect(claimsOf(token).scope).toBeUndefined();
      const body = await atSubgraph('inventory', token, SET_STOCK);
      expect(body.data?.setStock).toBeNull();
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'scope inventory:write and role clerk' });
    });

    it("refuses setStock, setPrice and addReview through the router to tokens without the subgraph's write scope", async () => {
      users.carolReadOnly = await stack.auth.userToken('carol', 'openid accounts:read products:read inventory:read reviews:read');
      const body = await throughRouter('carolReadOnly', 'mutation { setStock(upc: "2", inStock: true) { upc } }');
      expect(codes(body)).toEqual(['FORBIDDEN']);
      expect(codes(await throughRouter('carolReadOnly', 'mutation { setPrice(upc: "2", price: 1) { upc } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await throughRouter('carolReadOnly', 'mutation { addReview(upc: "2", body: "x") { id } }'))).toEqual(['FORBIDDEN']);
    });
  });

  describe('3. who may obtain a token for a subgraph audience', () => {
    it("gives a service no client-credentials token for a subgraph's audience", async () => {
      const response = await serviceToken(stack.auth, 'products-service', { resource: 'urn:deputy:subgraph:inventory', scope: 'inventory:write' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_target' });
      expect(response.body.access_token).toBeUndefined();
    });

    it("gives a team no token for the router, and the router client no client credentials for its own audience (only subgraphs', to read their SDL)", async () => {
      const team = await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:router' }, { id: 'inventory-team', secret: stack.auth.secret('inventory-team') });
      expect(team.body.error).toBe('invalid_target');
      const router = await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:router' });
      expect(router.body.error).toBe('invalid_target');
    });

    it("issues a service's token for the broker with no scope, whatever it asks for", async () => {
      const response = await serviceToken(stack.auth, 'accounts-service', { scope: 'inventory:write reviews:write trace:read' });
      expect(response.status).toBe(200);
      expect(claimsOf(String(response.body.access_token)).scope).toBeUndefined();
    });

    it("refuses a service's own token as a user at the router (401 not_a_user) and as the subject of an exchange", async () => {
      const own = String((await serviceToken(stack.auth, 'accounts-service')).body.access_token);
      const response = await postGraphQL(stack.router.url, { query: '{ me { id } }' }, { authorization: `Bearer ${own}` });
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'not_a_user' } }] });
      const exchanged = await exchange(stack.auth, { subject_token: own, audience: 'inventory' });
      expect(exchanged.body).toMatchObject({ error: 'invalid_request', error_description: "subject_token must be a user's token, not a client's own" });
    });

    it('refuses an actor token that was not issued to the router', async () => {
      const held = await routerDelegation(stack.auth, users.alice, 'accounts', 'accounts:read');
      const actor = await stack.auth.signAsIssuer({
        iss: stack.auth.issuer, sub: 'accounts-service', client_id: 'accounts-service', aud: 'accounts',
        iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300, jti: crypto.randomUUID(),
      });
      const response = await exchange(stack.auth, { subject_token: held, actor_token: actor, actor_token_type: ACCESS_TOKEN_TYPE, audience: 'reviews' });
      expect(response.body).toMatchObject({ error: 'invalid_request', error_description: "actor_token must be issued to the router (aud must be 'deputy-router')" });
    });

    it('allows a direct service exchange only toward the broker policy targets with its read scopes, audited and counted', async () => {
      const held = await routerDelegation(stack.auth, users.alice, 'accounts', 'accounts:read');
      const accounts = { id: 'accounts-service', secret: stack.auth.secret('accounts-service') };
      const before = stack.auth.server.stats.directExchanges;
      const auditBefore = stack.auth.audit.length;

      const allowed = await exchange(stack.auth, { subject_token: held, audience: 'reviews', scope: 'reviews:read' }, accounts);
      expect(allowed.status).toBe(200);
      expect(claimsOf(String(allowed.body.access_token))).toMatchObject({ sub: 'alice', aud: 'reviews', act: { sub: 'accounts-service', act: { sub: 'deputy-router' } } });
      // reviews accepts it: accounts-service is a broker caller the policy lets call reviews.
      const read = await atSubgraph('reviews', String(allowed.body.access_token), '{ _service { sdl } }');
      expect(read.errors).toBeUndefined();

      const elsewhere = await exchange(stack.auth, { subject_token: held, audience: 'inventory', scope: 'inventory:read' }, accounts);
      expect(elsewhere.body.error).toBe('invalid_target');
      const write = await exchange(stack.auth, { subject_token: held, audience: 'reviews', scope: 'reviews:write' }, accounts);
      expect(write.body.access_token).toBeUndefined();
      const unlisted = await exchange(stack.auth, { subject_token: held, audience: 'reviews' }, { id: 'products-service', secret: stack.auth.secret('products-service') });
      expect(unlisted.body.error).toBe('unauthorized_client');

      expect(stack.auth.server.stats.directExchanges - before).toBe(1);
      const direct = stack.auth.audit.slice(auditBefore).filter((event) => event.event === 'exchange.direct');
      expect(direct.map((event) => [event.client, event.audience ?? null, event.decision, event.error ?? null])).toEqual([
        ['accounts-service', 'reviews', 'granted', null],
        ['accounts-service', null, 'refused', 'invalid_target'],
        ['accounts-service', null, 'refused', 'invalid_scope'],
        ['products-service', null, 'refused', 'unauthorized_client'],
      ]);
    });
  });

  describe('4. users get at most the scopes they are entitled to', () => {
    it('grants alice none of the write scopes she asks for but may not delegate, and says so in scope', async () => {
      const token = await stack.auth.userToken('alice', 'openid inventory:write products:write reviews:read trace:read');
      expect(String(claimsOf(token).scope).split(' ').sort()).toEqual(['reviews:read', 'trace:read']);
      const body = (await postGraphQL(stack.router.url, { query: 'mutation { setStock(upc: "2", inStock: false) { upc } }' }, { authorization: `Bearer ${token}` })).json() as Body;
      expect(codes(body)).toEqual(['FORBIDDEN']);
    });

    it('grants carol the write scopes she is entitled to', async () => {
      const token = await stack.auth.userToken('carol', 'openid inventory:write products:write');
      expect(String(claimsOf(token).scope).split(' ').sort()).toEqual(['inventory:write', 'products:write']);
    });
  });

  describe('5. mutation inputs are bounded', () => {
    it('refuses a review body over the limit with INPUT_TOO_LARGE, and an empty one with BAD_USER_INPUT', async () => {
      const mutation = 'mutation($body: String!) { addReview(upc: "1", body: $body) { id } }';
      const long = await throughRouter('alice', mutation, { body: 'x'.repeat(REVIEW_LIMITS.bodyMaxLength + 1) });
      expect(long.errors?.[0].extensions).toMatchObject({ code: 'INPUT_TOO_LARGE', argument: 'body' });
      expect(codes(await throughRouter('alice', mutation, { body: '' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await throughRouter('alice', mutation, { body: 'x'.repeat(REVIEW_LIMITS.bodyMaxLength) }))).toEqual([]);
    });

    it('refuses writes to keys that do not exist with NOT_FOUND (no unbounded new entries)', async () => {
      expect(codes(await throughRouter('alice', 'mutation { addReview(upc: "no-such-product", body: "x") { id } }'))).toEqual(['NOT_FOUND']);
      expect(codes(await throughRouter('carol', 'mutation { setStock(upc: "no-such-product", inStock: true) { upc } }'))).toEqual(['NOT_FOUND']);
      expect(codes(await throughRouter('carol', 'mutation { setPrice(upc: "no-such-product", price: 1) { upc } }'))).toEqual(['NOT_FOUND']);
      expect(codes(await throughRouter('carol', 'mutation { setPrice(upc: "1", price: -5) { upc } }'))).toEqual(['BAD_USER_INPUT']);
    });

    it('caps the reviews one author can write with QUOTA_EXCEEDED', async () => {
      const written = stack.data.reviews.filter((review) => review.authorId === '9').length;
      const limit = REVIEW_LIMITS.perAuthor;
      REVIEW_LIMITS.perAuthor = written + 1;
      try {
        const mutation = 'mutation { addReview(upc: "3", body: "Once more.") { id } }';
        expect(codes(await throughRouter('carol', mutation))).toEqual([]);
        expect(codes(await throughRouter('carol', mutation))).toEqual(['QUOTA_EXCEEDED']);
      } finally {
        REVIEW_LIMITS.perAuthor = limit;
      }
    });
  });
});
