import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { freePort } from '../helpers/freePort.js';
import { childExit } from '../helpers/childExit.js';

/** How long the router process may take to listen (it loads the whole router: seconds on a busy machine), or to exit. */
const LISTEN_MS = 60_000;
/** How long the load runs at most. */
const LOAD_MS = 20_000;
/** The rest: the token, the audit file. */
const REST_MS = 15_000;

describe('SIGTERM under load', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('finishes every accepted request, flushes the audit trail and exits 0', { timeout: 2 * LISTEN_MS + LOAD_MS + REST_MS }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-sigterm-'));
    const port = await freePort();
    const auditFile = join(dir, 'audit.jsonl');
    const subgraphs = Object.fromEntries(stack.subgraphs.map((s) => [s.name, { url: s.url }]));
    writeFileSync(
      join(dir, 'router.yaml'),
      JSON.stringify({
        listen: { port },
        supergraph: { watch: false },
        auth: { issuer: stack.auth.issuer },
        exchange: { clientSecret: '${ROUTER_SECRET}' },
        subgraphs: { ...subgraphs, inventory: { ...subgraphs.inventory, scopes: ['inventory:read'] } },
        audit: { sink: 'file', file: auditFile },
      }),
    );
    // As in production: none of the test runner's variables (vitest sets NODE_ENV=test, which
    // hides Apollo Server's own signal handler).
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')));
    const router = spawn(process.execPath, ['bin/deputy.js', '--config', join(dir, 'router.yaml')], {
      env: { ...env, ROUTER_SECRET: stack.auth.secret('deputy-router') },
    });
    let output = '';
    router.stdout.on('data', (chunk) => (output += chunk));
    router.stderr.on('data', (chunk) => (output += chunk));
    const listening = Date.now() + LISTEN_MS;
    while (!output.includes('router listening') && Date.now() < listening) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('router listening');

    const token = await stack.auth.userToken('alice');
    const url = `http://127.0.0.1:${port}/graphql`;
    const failures: string[] = [];
    let served = 0;
    const deadline = Date.now() + LOAD_MS;
    // A bounded load: each loop stops once the router refuses new connections (it is shutting down).
    const loop = async () => {
      for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: '{ topProducts { name inStock } users { username } }' }),
          });
          const body = (await response.json()) as { errors?: unknown };
          if (response.status !== 200 || body.errors) failures.push(`${response.status} ${JSON.stringify(body).slice(0, 120)}`);
          else served += 1;
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code;
          if (code === 'ECONNREFUSED') return;
          failures.push(`${code ?? (error as Error).message}`);
          return;
        }
      }
    };
    const loops = Promise.all([loop(), loop(), loop(), loop()]);
    // SIGTERM once the load is flowing (a count, not a fixed delay: a busy machine is slower).
    while (served < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    router.kill('SIGTERM');
    expect(await childExit(router, LISTEN_MS)).toBe(0);
    await loops;
    expect(failures, failures.join("\n")).toEqual([]);
    expect(served).toBeGreaterThan(10);
    const audit = readFileSync(auditFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: string });
    // Every answered request's three delegations (products, inventory, accounts) are in the audit: none lost at exit.
    expect(audit.filter((event) => event.event === 'delegation').length).toBe(3 * served);
  });
});
