import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { adminApiToken, adminCall, codeOf } from '../helpers/registryClient.js';
import { dropSchema, uniqueSchema } from '../helpers/postgres.js';
import { freePort } from '../helpers/freePort.js';
import { cuttablePostgres } from '../helpers/cuttablePostgres.js';
import { startRouter } from '../../router/startRouter.js';

// Every way the admin API refuses, each with its status and stable code (README.md "Schema
// registry"). The registry here is the router's memory one, except where PostgreSQL goes away.

describe('the admin API refuses', () => {
  let stack: TestStack;
  let team: string;
  let admin: string;
  const adminToken = (claims: Record<string, unknown>) =>
    stack.auth.signAsIssuer({ iss: stack.auth.issuer, aud: 'deputy-admin', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300, jti: randomUUID(), ...claims });

  beforeAll(async () => {
    stack = await startStack();
    [team, admin] = await Promise.all([adminApiToken(stack, 'inventory-team'), adminApiToken(stack, 'registry-admin')]);
  });
  afterAll(() => stack?.stop());

  it('a request without a token, or with a user token for the router, as 401 UNAUTHENTICATED with its reason', async () => {
    const none = await fetch(stack.router.url.replace(/\/graphql$/, '/admin/schema/versions'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { errors: { extensions: { reason: string } }[] }).errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
    const user = await adminCall(stack.router.url, '/admin/schema/versions', await stack.auth.userToken('alice'));
    expect([user.status, codeOf(user), user.body.errors?.[0].extensions.reason]).toEqual([401, 'UNAUTHENTICATED', 'wrong_audience']);
  });

  it('a user token for the admin audience, a client that is no team, a team without the scope, as 403 FORBIDDEN with its reason', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sub: 'alice', client_id: 'web-app', scope: 'schema:publish' }, 'not_a_client'],
      [{ sub: 'stranger', client_id: 'stranger', scope: 'schema:publish' }, 'not_a_team'],
      [{ sub: 'inventory-team', client_id: 'inventory-team', scope: 'openid' }, 'missing_scope'],
    ];
    for (const [claims, reason] of cases) {
      const answer = await adminCall(stack.router.url, '/admin/schema/versions', await adminToken(claims));
      expect([answer.status, codeOf(answer), answer.body.errors?.[0].extensions.reason]).toEqual([403, 'FORBIDDEN', reason]);
    }
  });

  it('another method than the route answers, as 405 METHOD_NOT_ALLOWED naming the one it does', async () => {
    const response = await fetch(stack.router.url.replace(/\/graphql$/, '/admin/schema'), { headers: { authorization: `Bearer ${team}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('a malformed body or query, as 400 BAD_REQUEST or BAD_JSON', async () => {
    const malformed: [string, unknown][] = [
      ['/admin/schema', { subgraph: 1, sdl: 'type Query { a: Int }' }],
      ['/admin/schema', ['not', 'an', 'object']],
      ['/admin/schema', { subgraph: 'inventory', sdl: 'type Query { a: Int }', routingUrl: 'not a url' }],
      ['/admin/schema/check', { subgraph: 'inventory', sdl: 'x', allowBreaking: 'yes' }],
      ['/admin/schema/rollback', { version: 0 }],
      ['/admin/schema/approvals', { field: 'Product.name' }],
    ];
    for (const [path, body] of malformed) expect([path, codeOf(await adminCall(stack.router.url, path, admin, body))]).toEqual([path, 'BAD_REQUEST']);
    expect(codeOf(await adminCall(stack.router.url, '/admin/schema/versions?limit=-3', admin))).toBe('BAD_REQUEST');
    const response = await fetch(stack.router.url.replace(/\/graphql$/, '/admin/schema'), { method: 'POST', headers: { authorization: `Bearer ${team}`, 'content-type': 'application/json' }, body: '{"subgraph":' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_JSON');
  });

  it("a team changing another team's subgraph, as 403 FORBIDDEN not_owner", async () => {
    for (const path of ['/admin/schema', '/admin/schema/check']) {
      const answer = await adminCall(stack.router.url, path, team, { subgraph: 'reviews', sdl: 'type Query { a: Int }' });
      expect([answer.status, codeOf(answer), answer.body.errors?.[0].extensions.reason]).toEqual([403, 'FORBIDDEN', 'not_owner']);
    }
  });

  it('a subgraph the graph does not have, without a routingUrl, as 404 UNKNOWN_SUBGRAPH', async () => {
    const answer = await adminCall(stack.router.url, '/admin/schema', admin, { subgraph: 'shipping', sdl: 'type Query { eta: Int }' });
    expect([answer.status, codeOf(answer)]).toEqual([404, 'UNKNOWN_SUBGRAPH']);
    expect(answer.body.errors?.[0].extensions.known).toEqual(expect.arrayContaining(['inventory', 'products']));
  });

  it('a new subgraph the router can get no token for (an audience the issuer does not know), as 502 SERVICE_UNREACHABLE no_token', async () => {
    const before = stack.router.schema.state.hash;
    const answer = await adminCall(stack.router.url, '/admin/schema', admin, { subgraph: 'shipping', sdl: 'type Query { eta: Int }', routingUrl: 'http://127.0.0.1:1/graphql' });
    expect([answer.status, codeOf(answer), answer.body.errors?.[0].extensions.reason]).toEqual([502, 'SERVICE_UNREACHABLE', 'no_token']);
    expect(stack.router.schema.state.hash).toBe(before);
  });

  it('approving a field no other subgraph resolves, as 400 BAD_REQUEST', async () => {
    const answer = await adminCall(stack.router.url, '/admin/schema/approvals', admin, { field: 'Product.nothing', taker: 'inventory' });
    expect([answer.status, codeOf(answer)]).toEqual([400, 'BAD_REQUEST']);
  });

  it('a rollback or fetch of a version the registry does not have, as 404 UNKNOWN_VERSION', async () => {
    expect(codeOf(await adminCall(stack.router.url, '/admin/schema/rollback', admin, { version: 7 }))).toBe('UNKNOWN_VERSION');
    expect(codeOf(await adminCall(stack.router.url, '/admin/schema/version?version=7', team))).toBe('UNKNOWN_VERSION');
  });

  // Last: it stops the inventory service.
  it('a publish whose running service is down, as 502 SERVICE_UNREACHABLE service_unreachable', async () => {
    await stack.subgraphs.find((subgraph) => subgraph.name === 'inventory')!.stop();
    const answer = await adminCall(stack.router.url, '/admin/schema', team, { subgraph: 'inventory', sdl: readFileSync('schema/inventory.graphql', 'utf8') });
    expect([answer.status, codeOf(answer), answer.body.errors?.[0].extensions.reason]).toEqual([502, 'SERVICE_UNREACHABLE', 'service_unreachable']);
    expect(answer.body.errors?.[0].message).toContain("could not read inventory's SDL from its running service");
  });
});

describe('the admin API with its PostgreSQL gone', () => {
  const schema = uniqueSchema('gone');
  let stack: TestStack;

  beforeAll(async () => {
    const postgres = await cuttablePostgres();
    stack = await startStack({ routerConfig: (c) => ({ ...c, registry: { postgres: { url: postgres.url, schema } } }) });
    await postgres.cut();
  });
  afterAll(async () => {
    await stack?.stop();
    await dropSchema(schema);
  });

  it('answers 503 REGISTRY_UNAVAILABLE, and the router keeps serving its version', async () => {
    const token = await adminApiToken(stack, 'inventory-team');
    for (const path of ['/admin/schema/versions', '/admin/schema/version']) {
      const answer = await adminCall(stack.router.url, path, token);
      expect([path, answer.status, codeOf(answer)]).toEqual([path, 503, 'REGISTRY_UNAVAILABLE']);
    }
    const alice = await stack.auth.userToken('alice');
    const response = await fetch(stack.router.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` }, body: JSON.stringify({ query: '{ topProducts(first: 1) { upc } }' }) });
    expect(response.status).toBe(200);
  });

  it('lets a router started while PostgreSQL is away listen, say it waits for the registry, and serve once it is back', async () => {
    const port = await freePort();
    const waits: [string, string][] = [];
    let url = '';
    const config = { ...stack.config, listen: { ...stack.config.listen, port: 0 }, registry: { ...stack.config.registry, postgres: { url: `postgres://postgres@127.0.0.1:${port}/test`, schema } } };
    const starting = startRouter(config, {
      onWaiting: (listening, problem, waitingFor) => {
        url = listening;
        waits.push([waitingFor, problem]);
      },
    });
    await expect.poll(() => waits.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(waits[0]).toEqual(['registry', expect.stringContaining('cannot open the schema registry in PostgreSQL')]);
    const health = await fetch(url.replace(/\/graphql$/, '/health/ready'));
    expect([health.status, await health.json()]).toEqual([503, { status: 'starting', waitingFor: 'registry' }]);
    const relay = await cuttablePostgres(port);
    const router = await starting;
    try {
      expect((await fetch(url.replace(/\/graphql$/, '/health/ready'))).status).toBe(200);
      expect(router.schema.state.version).toBe(1);
    } finally {
      await router.stop();
      await relay.cut();
    }
  }, 60_000);
});
