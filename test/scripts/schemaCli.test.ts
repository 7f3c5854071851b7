import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/runScript.js';
import { FULL_INVENTORY as FULL, REDUCED_INVENTORY as REDUCED, roverWorkspace } from '../helpers/roverWorkspace.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { TEST_POSTGRES_URL, dropSchema, uniqueSchema } from '../helpers/postgres.js';
import { clientSecretVariable } from '../../lib/config/clientSecrets.js';

// The `deputy schema` and `deputy subgraph` verbs (and npm run schema:check / schema:publish)
// against a running router whose registry is in the real PostgreSQL. The tests run in order:
// each leaves the registry where the next one starts.

const folder = mkdtempSync(join(tmpdir(), 'deputy-cli-'));
/** Writes `sdl` to a file of its own and returns its path. */
function sdlFile(name: string, sdl: string): string {
  const path = join(folder, `${name}.graphql`);
  writeFileSync(path, sdl);
  return path;
}

describe('the registry verbs of the deputy command', () => {
  const schema = uniqueSchema('cli');
  let stack: TestStack;
  let env: NodeJS.ProcessEnv;
  const deputy = (...args: string[]) => runScript('router/cli.ts', args, env);

  beforeAll(async () => {
    stack = await startStack({ routerConfig: (c) => ({ ...c, supergraph: { rover: roverWorkspace({ inventory: REDUCED }) }, registry: { postgres: { url: TEST_POSTGRES_URL, schema } } }) });
    const secrets = Object.fromEntries(['inventory-team', 'products-team', 'registry-admin'].map((client) => [clientSecretVariable(client), stack.auth.secret(client)]));
    env = { ...process.env, ...secrets, DEPUTY_ROUTER_URL: stack.router.url.replace(/\/graphql$/, ''), DEPUTY_ISSUER: stack.auth.issuer, DEPUTY_LOCAL_SECRETS: join(folder, 'none.json') };
  });
  afterAll(async () => {
    await stack?.stop();
    await dropSchema(schema);
  });

  it('checks a compatible change against the current version (npm run schema:check), exit 0', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['inventory', sdlFile('full', FULL)], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('inventory against version 1:');
    expect(result.stdout).toContain("SAFE      FIELD_ADDED Product.shippingEstimate: Field 'shippingEstimate' was added to object type 'Product'");
    expect(result.stdout).toContain('✓ check passed');
  });

  it('publishes as the team, and the router serves it', async () => {
    const result = await deputy('subgraph', 'publish', '--name', 'inventory', '--schema', sdlFile('full', FULL));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ published inventory: version 2 \([0-9a-f]{16} -> [0-9a-f]{16}\)/);
    const alice = await stack.auth.userToken('alice');
    const response = await postGraphQL(stack.router.url, { query: 'query Shipping { topProducts(first: 1) { shippingEstimate } }' }, { authorization: `Bearer ${alice}` });
    expect(response.json()).toEqual({ data: { topProducts: [{ shippingEstimate: null }] } });
  });

  it('fails a check that removes a field an operation used, naming the operation, as JSON for machines, exit 1', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['inventory', sdlFile('reduced', REDUCED), '--json'], env);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; failures: string[]; breaking: { path: string; usedBy: { clientId: string; operationName: string }[] }[] };
    expect(report.failures).toEqual(['BREAKING_CHANGES']);
    const removed = report.breaking.find((change) => change.path === 'Product.shippingEstimate');
    expect(removed?.usedBy).toContainEqual(expect.objectContaining({ clientId: 'web-app', operationName: 'Shipping' }));
  });

  it('fails a check that does not compose, naming the problem, exit 1', async () => {
    const result = await deputy('subgraph', 'check', '--name', 'inventory', '--schema', sdlFile('conflict', FULL.replace('  upc: String!\n', '  upc: Int!\n')));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ does not compose[\s\S]*error\[[A-Z_]+\]/);
  });

  it('refuses a publish the registry refuses, with its code, exit 1', async () => {
    const result = await deputy('subgraph', 'publish', '--name', 'inventory', '--schema', sdlFile('reduced', REDUCED));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('✗ the registry refused: BREAKING_CHANGES');
  });

  it('lists the history and fetches an old version whole', async () => {
    const history = await deputy('schema', 'history');
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^ {4}2 .* inventory-team +publish inventory \(1 change\(s\)\)$/m);
    expect(history.stdout).toMatch(/^ {4}1 .* deputy-router +initial/m);
    const output = join(folder, 'v1.graphql');
    const fetched = await deputy('schema', 'fetch', '--version', '1', '--output', output);
    expect(fetched.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toContain('join__Graph');
    expect(readFileSync(output, 'utf8')).not.toContain('shippingEstimate');
    const subgraph = await deputy('subgraph', 'fetch', '--name', 'inventory', '--version', '2');
    expect(subgraph.stdout.trim()).toBe(FULL.trim());
  });

  it('rolls back as the registry admin, and refuses an unknown version', async () => {
    const result = await deputy('schema', 'rollback', '1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ rolled back to version 1: now version 3/);
    expect(stack.router.schema.state.version).toBe(3);
    const unknown = await deputy('schema', 'rollback', '99');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('UNKNOWN_VERSION');
  });

  it('records an owning team’s approval of a takeover', async () => {
    const result = await deputy('subgraph', 'approve', '--name', 'products', '--field', 'Product.name', '--taker', 'inventory');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ products lets inventory take over Product.name in its next publish');
  });

  it('fails clearly without a secret or with a bad command, exit 2', async () => {
    const { [clientSecretVariable('inventory-team')]: _omit, ...without } = env;
    const secretless = await runScript('router/cli.ts', ['subgraph', 'check', '--name', 'inventory', '--schema', sdlFile('full', FULL)], without);
    expect(secretless.code).toBe(2);
    expect(secretless.stderr).toContain('no secret for inventory-team');
    const missing = await deputy('subgraph', 'check', '--name', 'inventory');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--schema is required');
    const unknown = await deputy('schema', 'explode');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no verb schema explode');
  });
});
