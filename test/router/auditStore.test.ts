import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { TEST_POSTGRES_URL, dropSchema, sql, uniqueSchema } from '../helpers/postgres.js';
import { runScript } from '../helpers/runScript.js';

// The queryable audit store (audit.sink postgres) with the real stack: what one request leaves in
// PostgreSQL, `deputy audit` reading it back, and the table refusing to be rewritten.

const PEOPLE = 'query People { me { username reviewCount } users { username birthday } }';
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions: { code: string; rule?: string } }[];
}

/** A traceparent header for a trace id of the test's choosing. */
const traceparent = (traceId: string) => `00-${traceId}-${'cd'.repeat(8)}-01`;
const traceIdOf = (label: string) => label.repeat(32 / label.length);

describe('the postgres audit store', () => {
  const schema = uniqueSchema('audit');
  let stack: TestStack;
  let alice: string;
  let response: Body;
  const aliceTrace = traceIdOf('a1c3');
  const cli = (...args: string[]) => runScript('router/cli.ts', ['audit', ...args]);
  const store = ['--postgres', TEST_POSTGRES_URL, '--schema', schema];
  const rowsOf = (traceId: string) => sql<{ event: string; subject: string | null; client: string | null; data: Record<string, unknown> }>(`SELECT event, subject, client, data FROM ${schema}.audit_events WHERE trace_id = $1 ORDER BY id`, [traceId]);

  beforeAll(async () => {
    stack = await startStack({
      dataset: 'demo',
      routerConfig: (config) => ({ ...config, audit: { sink: 'postgres', postgres: { url: TEST_POSTGRES_URL, schema, flushIntervalMs: 100 } } }),
    });
    alice = await stack.auth.userToken('alice');
    response = (await postGraphQL(stack.router.url, { query: PEOPLE }, { authorization: `Bearer ${alice}`, traceparent: traceparent(aliceTrace) })).json() as Body;
    await vi.waitFor(async () => expect((await rowsOf(aliceTrace)).map((row) => row.event)).toContain('request'), { timeout: 10_000, interval: 100 });
  });
  afterAll(async () => {
    await stack?.stop();
    await dropSchema(schema);
  });

  it('holds the request, its delegations, its exchanges and every decision a subgraph reported, under one trace id', async () => {
    expect(response.errors?.some((error) => error.extensions.code === 'FORBIDDEN')).toBe(true);
    const rows = await rowsOf(aliceTrace);
    const kinds = new Set(rows.map((row) => row.event));
    expect([...kinds].sort()).toEqual(['broker.delegate', 'decisions', 'delegation', 'request', 'token.exchange']);
    const request = rows.find((row) => row.event === 'request')!;
    expect(request).toMatchObject({ subject: 'alice', client: 'web-app', data: { outcome: 'partial', operationName: 'People', traceId: aliceTrace } });
    expect(rows.filter((row) => row.event === 'decisions').map((row) => row.data.subgraph).sort()).toEqual(expect.arrayContaining(['accounts']));
    expect(JSON.stringify(rows)).not.toMatch(JWT_LIKE);
  });

  it("prints the story of one request with `deputy audit --trace`: each refusal with the rule of the response's error", async () => {
    const result = await cli('--trace', aliceTrace, ...store);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain(`trace ${aliceTrace}`);
    expect(out).toMatch(/request .* alice via web-app/);
    expect(out).toContain('operation People (query');
    expect(out).toMatch(/outcome partial, HTTP 200, \d+ denials \(FORBIDDEN ×\d+\)/);
    expect(out).toMatch(/scopes held: .*accounts:read/);
    expect(out).toMatch(/^accounts$/m);
    expect(out).toMatch(/token {4}audience accounts, scopes accounts:read, through alice → deputy-router → accounts \((exchange|cache|coalesced)\); jti \S+, fingerprint [0-9a-f]{12}/);
    const forbidden = response.errors!.filter((error) => error.extensions.code === 'FORBIDDEN');
    const refusals = new Map<string, number>();
    for (const error of forbidden) {
      const line = `${error.path!.map((segment) => (typeof segment === 'number' ? '@' : segment)).join('.')} ×COUNT  rule: ${error.extensions.rule}`;
      refusals.set(line, (refusals.get(line) ?? 0) + 1);
    }
    for (const [line, count] of refusals) expect(out).toContain(`refused  ${line.replace('COUNT', String(count))}`);
    expect(out).toContain(`deny     User.birthday ×${forbidden.length}  rule: ${forbidden[0].extensions.rule}  roles: support`);
    // accounts counts alice's reviews through the broker: that hop's token (the router, as broker,
    // is the current actor for accounts-service, which acted for the router) and its decisions.
    expect(out).toMatch(/^reviews \(brokered for accounts-service\)$/m);
    expect(out).toMatch(/token {4}audience reviews, scopes reviews:read, through alice → deputy-router → accounts-service → deputy-router → reviews \(\w+\); jti \S+/);
    expect(out).toMatch(/allow {4}User\.reviews ×\d+  rule: published or \(scope reviews:read and its author\)/);
    expect(out).not.toMatch(JWT_LIKE);
  });

  it('answers --trace --json with the events, and exits 1 for a trace it has nothing on', async () => {
    const json = await cli('--trace', aliceTrace, '--json', ...store);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { traceId: string; events: { event: string }[] };
    expect(body.events.map((event) => event.event)).toContain('request');
    const none = await cli('--trace', traceIdOf('0f'), ...store);
    expect([none.code, none.stderr.trim()]).toEqual([1, `✗ no audit events for trace ${traceIdOf('0f')}`]);
  });

  it("lists a subject's requests with their outcome and denials (`--subject alice --since 1h`), reading the store from the router's configuration", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-audit-'));
    try {
      const file = join(dir, 'router.yaml');
      writeFileSync(file, `audit:\n  sink: postgres\n  postgres:\n    url: \${AUDIT_URL}\n    schema: ${schema}\n`);
      const result = await runScript('router/cli.ts', ['audit', '--subject', 'alice', '--since', '1h', '--config', file], { ...process.env, AUDIT_URL: TEST_POSTGRES_URL });
      expect(result.code, result.stderr).toBe(0);
      const line = result.stdout.split('\n').find((candidate) => candidate.includes(aliceTrace));
      const denials = response.errors!.filter((error) => error.extensions.code === 'FORBIDDEN').length;
      expect(line).toMatch(new RegExp(`${aliceTrace}\\s+People\\s+partial\\s+200\\s+${denials}\\s+[\\d.]+$`));
      expect(result.stdout).toMatch(/^requests of alice since .*: \d+$/m);
      const nobody = await cli('--subject', 'nobody', '--since', '1h', ...store);
      expect([nobody.code, nobody.stdout]).toEqual([0, expect.stringMatching(/requests of nobody since .*: 0/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of its rows', async () => {
    await expect(sql(`UPDATE ${schema}.audit_events SET subject = 'mallory'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql(`DELETE FROM ${schema}.audit_events`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql(`TRUNCATE ${schema}.audit_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await rowsOf(aliceTrace)).length).toBeGreaterThan(0);
  });

  it('deletes with --prune only the rows older than the retention', async () => {
    const old = traceIdOf('01d0');
    await sql(`INSERT INTO ${schema}.audit_events (time, event, trace_id, subject, data) VALUES (now() - interval '40 days', 'request', $1, 'alice', '{}'), (now() - interval '29 days', 'request', $1, 'alice', '{}')`, [old]);
    const result = await cli('--prune', '--retention', '30d', ...store);
    expect([result.code, result.stdout]).toEqual([0, expect.stringMatching(/^✓ deleted 1 audit events older than /)]);
    expect((await rowsOf(old)).length).toBe(1);
    expect((await rowsOf(aliceTrace)).length).toBeGreaterThan(0);
  });

  it('says so, exit 2, when it has no store to read', async () => {
    const result = await cli('--trace', aliceTrace, '--config', 'router/router.yaml');
    expect([result.code, result.stderr.trim()]).toEqual([2, 'deputy audit: no audit.postgres.url in router/router.yaml; give --postgres <url> or --config <file>']);
    expect((await cli('--trace', aliceTrace, '--subject', 'alice', ...store)).code).toBe(2);
  });
});
