import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { FULL_INVENTORY as FULL, REDUCED_INVENTORY as REDUCED, roverWorkspace } from '../helpers/roverWorkspace.js';

// The running inventory subgraph serves its full SDL; the router starts on a supergraph
// composed without shippingEstimate, so publishing the full SDL is a compatible change the
// subgraph can already serve (a team deploys, then publishes).

interface PublishBody {
  published?: boolean;
  hashBefore?: string;
  hashAfter?: string;
  errors?: { message: string; extensions: { code: string; changes?: { message: string }[]; problems?: { subgraph?: string }[] } }[];
}

describe('publishing a subgraph schema to the running router', () => {
  let stack: TestStack;
  let alice: string;
  let adminUrl: string;
  const teamToken = async (team: string) =>
    String(
      (await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: 'schema:publish' }, { id: team, secret: stack.auth.secret(team) }))
        .body.access_token,
    );
  const publish = async (token: string, body: Record<string, unknown>) => {
    const response = await fetch(adminUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as PublishBody };
  };
  const query = async (q: string) => postGraphQL(stack.router.url, { query: q }, { authorization: `Bearer ${alice}` });

  beforeAll(async () => {
    const rover = roverWorkspace({ inventory: REDUCED });
    stack = await startStack({ routerConfig: (c) => ({ ...c, supergraph: { rover } }) });
    alice = await stack.auth.userToken('alice');
    adminUrl = stack.router.url.replace(/\/graphql$/, '/admin/schema');
  });
  afterAll(() => stack?.stop());

  it('publishes a compatible change that is queryable at once, without a restart, and audits it', async () => {
    expect((await query('{ topProducts { shippingEstimate } }')).status).toBe(400);
    const response = await publish(await teamToken('inventory-team'), { subgraph: 'inventory', sdl: FULL });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ published: true });
    expect(response.body.hashAfter).not.toBe(response.body.hashBefore);
    const after = await query('{ topProducts(first: 1) { name inStock shippingEstimate } }');
    expect(after.json()).toEqual({ data: { topProducts: [{ name: 'Table', inStock: true, shippingEstimate: null }] } });
    expect(stack.audit.filter((e) => e.event === 'schema.publish').at(-1)).toMatchObject({
      client: 'inventory-team',
      subgraph: 'inventory',
      decision: 'published',
      hashBefore: response.body.hashBefore,
      hashAfter: response.body.hashAfter,
    });
  });

  it('refuses a breaking change without allowBreaking, naming the change', async () => {
    const response = await publish(await teamToken('inventory-team'), { subgraph: 'inventory', sdl: REDUCED });
    expect(response.status).toBe(409);
    expect(response.body.errors?.[0].extensions.code).toBe('BREAKING_CHANGES');
    expect(response.body.errors?.[0].extensions.changes?.map((c) => c.message)).toContain("Field 'shippingEstimate' was removed from object type 'Product'");
    expect((await query('{ topProducts(first: 1) { shippingEstimate } }')).status).toBe(200);
  });

  it('refuses a change that does not compose and keeps serving the old schema', async () => {
    const hash = stack.router.schema.state.hash;
    const conflicting = FULL.replace('  upc: String!\n', '  upc: Int!\n');
    const response = await publish(await teamToken('inventory-team'), { subgraph: 'inventory', sdl: conflicting });
    expect(response.status).toBe(422);
    expect(response.body.errors?.[0].extensions.code).toBe('COMPOSITION_FAILED');
    expect(response.body.errors?.[0].extensions.problems?.length).toBeGreaterThan(0);
    expect(stack.router.schema.state.hash).toBe(hash);
    expect((await query('{ topProducts(first: 1) { upc inStock } }')).json()).toEqual({ data: { topProducts: [{ upc: '1', inStock: true }] } });
  });

  it("does not let a team publish another team's subgraph, nor anyone without a team token", async () => {
    const other = await publish(await teamToken('accounts-team'), { subgraph: 'inventory', sdl: FULL });
    expect(other.status).toBe(403);
    expect(other.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const user = await publish(alice, { subgraph: 'inventory', sdl: FULL });
    expect(user.status).toBe(401);
    const service = String((await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin' }, { id: 'inventory-service', secret: stack.auth.secret('inventory-service') })).body.error);
    expect(service).toBe('invalid_target');
  });

  // The load lasts as long as the six publishes (each composes the supergraph: seconds on a busy
  // machine), however long that is, rather than a fixed number of queries.
  it('swaps under a load of concurrent queries with zero failures', { timeout: 60_000 }, async () => {
    const token = await teamToken('inventory-team');
    const variants = [REDUCED, FULL];
    const failures: string[] = [];
    let done = 0;
    let publishing = true;
    const load = async () => {
      for (let i = 0; publishing || i < 5; i++) {
        const response = await query('{ topProducts { name inStock } users { username } }');
        const body = response.json() as { errors?: unknown; data?: { topProducts?: unknown[] } };
        if (response.status !== 200 || body.errors || body.data?.topProducts?.length !== 5) failures.push(response.text.slice(0, 200));
        done += 1;
      }
    };
    const publishes = async () => {
      try {
        for (let i = 0; i < 6; i++) {
          const response = await publish(token, { subgraph: 'inventory', sdl: variants[i % 2], allowBreaking: true });
          expect(response.status).toBe(200);
        }
      } finally {
        publishing = false;
      }
    };
    await Promise.all([load(), load(), load(), load(), publishes()]);
    expect(done).toBeGreaterThanOrEqual(20);
    expect(failures).toEqual([]);
  });
});
