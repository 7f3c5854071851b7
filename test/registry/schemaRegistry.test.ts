import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { FULL_INVENTORY as FULL, REDUCED_INVENTORY as REDUCED, roverWorkspace } from '../helpers/roverWorkspace.js';
import { TEST_POSTGRES_URL, dropSchema, sql, uniqueSchema } from '../helpers/postgres.js';
import { adminApiToken, adminCall, codeOf } from '../helpers/registryClient.js';
import { startRouter, type RunningRouter } from '../../router/startRouter.js';

// The registry in the real PostgreSQL, with the real auth server, subgraphs and routers. The
// router starts on inventory without shippingEstimate (which the running inventory serves), so
// publishing the full SDL is a change a team has deployed first.

const registryConfig = (schema: string, more: Record<string, unknown> = {}) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (config: Record<string, any>) => ({ ...config, supergraph: { rover: roverWorkspace({ inventory: REDUCED }) }, registry: { postgres: { url: TEST_POSTGRES_URL, schema }, ...more } });

describe('the schema registry in PostgreSQL', () => {
  const schema = uniqueSchema('registry');
  let stack: TestStack;
  let alice: string;
  let inventoryTeam: string;
  let admin: string;
  const others: RunningRouter[] = [];
  const publish = (body: Record<string, unknown>, token = inventoryTeam, url = stack.router.url) => adminCall(url, '/admin/schema', token, body);
  const query = (q: string, url = stack.router.url) => postGraphQL(url, { query: q }, { authorization: `Bearer ${alice}` });

  beforeAll(async () => {
    stack = await startStack({ routerConfig: registryConfig(schema) });
    [alice, inventoryTeam, admin] = await Promise.all([stack.auth.userToken('alice'), adminApiToken(stack, 'inventory-team'), adminApiToken(stack, 'registry-admin')]);
  });
  afterAll(async () => {
    await Promise.all(others.map((router) => router.stop()));
    await stack?.stop();
    await dropSchema(schema);
  });

  it('starts on version 1, seeded from the configured subgraphs, and keeps it in PostgreSQL', async () => {
    expect(stack.router.schema.state.version).toBe(1);
    const rows = await sql<{ version: number; action: string; client: string }>(`SELECT version, action, client FROM ${schema}.versions`);
    expect(rows).toEqual([{ version: 1, action: 'initial', client: 'deputy-router' }]);
  });

  it('publishes a deployed change as version 2, serves it at once, and audits it with its version', async () => {
    const answer = await publish({ subgraph: 'inventory', sdl: FULL });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ published: true, version: 2, ok: true });
    expect((await query('{ topProducts(first: 1) { shippingEstimate } }')).json()).toEqual({ data: { topProducts: [{ shippingEstimate: null }] } });
    expect(stack.audit.filter((event) => event.event === 'schema.publish').at(-1)).toMatchObject({ client: 'inventory-team', subgraph: 'inventory', version: 2, decision: 'published' });
  });

  it('starts a restarted router, and a second one, on the current version rather than its files', async () => {
    await stack.router.stop();
    // The restarted router audits where the first did.
    const restarted = await startRouter(stack.config, { audit: { write: (event) => void stack.audit.push(event) } });
    const second = await startRouter(stack.config);
    others.push(second);
    for (const router of [restarted, second]) {
      expect(router.schema.state.version).toBe(2);
      expect((await query('{ topProducts(first: 1) { shippingEstimate } }', router.url)).status).toBe(200);
    }
    stack.router = restarted;
  });

  it('lists the history and fetches any version whole', async () => {
    const history = await adminCall(stack.router.url, '/admin/schema/versions', inventoryTeam);
    expect(history.body.versions.map((version: { version: number; action: string }) => [version.version, version.action])).toEqual([
      [2, 'publish'],
      [1, 'initial'],
    ]);
    const first = await adminCall(stack.router.url, '/admin/schema/version?version=1', inventoryTeam);
    expect(first.body.supergraphSdl).not.toContain('shippingEstimate');
    expect(first.body.subgraphs.find((subgraph: { name: string }) => subgraph.name === 'inventory').sdl).toBe(REDUCED);
    expect(codeOf(await adminCall(stack.router.url, '/admin/schema/version?version=99', inventoryTeam))).toBe('UNKNOWN_VERSION');
  });

  it('refuses SDL declaring a field the running service does not serve yet, naming it', async () => {
    const answer = await publish({ subgraph: 'inventory', sdl: FULL.replace('  inStock: Boolean\n', '  inStock: Boolean\n  restockDate: String\n') });
    expect(answer.status).toBe(409);
    expect(codeOf(answer)).toBe('NOT_DEPLOYED');
    expect(answer.body.errors?.[0].extensions.fields).toEqual(['Product.restockDate']);
    expect(answer.body.errors?.[0].message).toContain('deploy it first, then publish');
    expect(stack.router.schema.state.version).toBe(2);
  });

  it('refuses removing a field an operation used, naming the client and operation, and lets allowBreaking through', async () => {
    expect((await postGraphQL(stack.router.url, { query: 'query ShippingPage { topProducts { shippingEstimate } }' }, { authorization: `Bearer ${alice}` })).status).toBe(200);
    const check = await adminCall(stack.router.url, '/admin/schema/check', inventoryTeam, { subgraph: 'inventory', sdl: REDUCED });
    expect(check.body.ok).toBe(false);
    expect(check.body.failures).toEqual(['BREAKING_CHANGES']);
    const removed = check.body.breaking.find((change: { path: string }) => change.path === 'Product.shippingEstimate');
    expect(removed.usedBy).toContainEqual(expect.objectContaining({ clientId: 'web-app', operationName: 'ShippingPage', field: 'Product.shippingEstimate', count: 1 }));
    const refused = await publish({ subgraph: 'inventory', sdl: REDUCED });
    expect(codeOf(refused)).toBe('BREAKING_CHANGES');
    expect(refused.body.errors?.[0].message).toContain('web-app/ShippingPage');
    expect(stack.audit.filter((event) => event.event === 'schema.check').at(-1)).toMatchObject({ client: 'inventory-team', version: 2, decision: 'failed' });
  });

  it('rolls back, for an admin only, as a new version equal to the old one, which every router serves', async () => {
    const team = await adminCall(stack.router.url, '/admin/schema/rollback', inventoryTeam, { version: 1 });
    expect(team.status).toBe(403);
    expect(team.body.errors?.[0].extensions.reason).toBe('not_admin');
    const answer = await adminCall(stack.router.url, '/admin/schema/rollback', admin, { version: 1 });
    expect(answer.body).toMatchObject({ rolledBack: true, version: 3, rollbackOf: 1 });
    const first = await adminCall(stack.router.url, '/admin/schema/version?version=1', admin);
    expect(answer.body.hashAfter).toBe(first.body.supergraphHash);
    // The other router hears of it through PostgreSQL.
    await expect.poll(() => others[0].schema.state.version, { timeout: 15_000 }).toBe(3);
    expect(others[0].schema.state.hash).toBe(first.body.supergraphHash);
    expect((await query('{ topProducts(first: 1) { shippingEstimate } }', others[0].url)).status).toBe(400);
    expect(stack.audit.filter((event) => event.event === 'schema.rollback').map((event) => [event.decision, event.version ?? null])).toEqual([
      ['refused', null],
      ['rolled back', 3],
    ]);
    expect(codeOf(await adminCall(stack.router.url, '/admin/schema/rollback', admin, { version: 42 }))).toBe('UNKNOWN_VERSION');
  });

  it('passes removing a field no operation used in the window', async () => {
    await publish({ subgraph: 'inventory', sdl: FULL });
    const check = await adminCall(stack.router.url, '/admin/schema/check', inventoryTeam, { subgraph: 'inventory', sdl: FULL.replace('  inStock: Boolean\n', '') });
    expect(check.body.breaking.map((change: { path: string; usedBy: unknown[] }) => [change.path, change.usedBy])).toEqual([['Product.inStock', []]]);
    expect(check.body.ok).toBe(true);
  });
});

describe('taking over another subgraph’s field', () => {
  const schema = uniqueSchema('takeover');
  let stack: TestStack;
  const takeover = FULL.replace('"@requires"]', '"@requires", "@override"]').replace('  inStock: Boolean\n', '  inStock: Boolean\n  name: String @override(from: "products")\n');

  beforeAll(async () => {
    // The demo inventory service does not serve `name`: the deploy check is off here, ownership is under test.
    stack = await startStack({ routerConfig: registryConfig(schema, { deployCheck: false }) });
  });
  afterAll(async () => {
    await stack?.stop();
    await dropSchema(schema);
  });

  it('is refused without the owning team’s approval, naming the field and its owner', async () => {
    const answer = await adminCall(stack.router.url, '/admin/schema', await adminApiToken(stack, 'inventory-team'), { subgraph: 'inventory', sdl: takeover });
    expect(answer.status).toBe(409);
    expect(codeOf(answer)).toBe('TAKEOVER_NOT_APPROVED');
    expect(answer.body.errors?.[0].message).toContain('inventory would take over Product.name from products');
    expect(answer.body.errors?.[0].extensions.takeovers).toEqual([expect.objectContaining({ field: 'Product.name', owners: ['products'], taker: 'inventory', how: 'override' })]);
  });

  it('cannot be approved by the taker itself or another team', async () => {
    for (const team of ['inventory-team', 'reviews-team']) {
      const answer = await adminCall(stack.router.url, '/admin/schema/approvals', await adminApiToken(stack, team), { field: 'Product.name', taker: 'inventory' });
      expect(answer.status).toBe(403);
      expect(answer.body.errors?.[0].extensions.reason).toBe('not_owner');
    }
  });

  it('is published once the owning team approves, and the approval is used up', async () => {
    const approval = await adminCall(stack.router.url, '/admin/schema/approvals', await adminApiToken(stack, 'products-team'), { field: 'Product.name', taker: 'inventory' });
    expect(approval.body).toMatchObject({ approved: true, approvals: [{ field: 'Product.name', owner: 'products', taker: 'inventory', approvedBy: 'products-team' }] });
    const answer = await adminCall(stack.router.url, '/admin/schema', await adminApiToken(stack, 'inventory-team'), { subgraph: 'inventory', sdl: takeover });
    expect(answer.status).toBe(200);
    expect(answer.body.takeovers).toEqual([expect.objectContaining({ field: 'Product.name', approved: true })]);
    expect(stack.audit.filter((event) => event.event === 'schema.approve').at(-1)).toMatchObject({ client: 'products-team', field: 'Product.name', decision: 'approved' });
    const used = await sql<{ used_in_version: number }>(`SELECT used_in_version FROM ${schema}.approvals`);
    expect(used).toEqual([{ used_in_version: 2 }]);
  });
});
