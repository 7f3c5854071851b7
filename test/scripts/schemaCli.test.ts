import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPT_TIMEOUT_MS, runScript } from '../helpers/runScript.js';
import { FULL_INVENTORY as FULL, REDUCED_INVENTORY as REDUCED, roverWorkspace } from '../helpers/roverWorkspace.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';
import { composeSupergraph, readSubgraphSources } from '../../registry/compose/composeSupergraph.js';


/** Writes `sdl` to a temp file beside a rover workspace and returns its path. */
function sdlFile(sdl: string): string {
  const path = join(dirname(roverWorkspace()), 'proposed.graphql');
  writeFileSync(path, sdl);
  return path;
}

describe('npm run schema:check', () => {
  it('passes a compatible change', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['inventory', sdlFile(FULL.replace('  inStock: Boolean\n', '  inStock: Boolean\n  restockDate: String\n'))]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ inventory: composes');
    expect(result.stdout).toContain("SAFE      FIELD_ADDED Product.restockDate: Field 'restockDate' was added to object type 'Product'");
  });

  it('fails on a breaking change, naming it', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['inventory', sdlFile(REDUCED)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("BREAKING  FIELD_REMOVED Product.shippingEstimate: Field 'shippingEstimate' was removed from object type 'Product'");
  });

  it('fails on a change that does not compose, naming the subgraph and location', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['inventory', sdlFile(FULL.replace('  upc: String!\n', '  upc: Int!\n'))]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/does not compose[\s\S]*error\[[A-Z_]+\] subgraph (inventory|products|reviews) \(/);
  });

  it('prints JSON for machines', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['inventory', sdlFile(REDUCED), '--json']);
    const report = JSON.parse(result.stdout) as { composes: boolean; breaking: { path: string }[] };
    expect(report.composes).toBe(true);
    expect(report.breaking.map((change) => change.path)).toEqual(['Product.shippingEstimate']);
  });

  it('rejects an unknown subgraph', async () => {
    const result = await runScript('scripts/schemaCheck.ts', ['payments', sdlFile(FULL)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no subgraph named payments');
  });
});

describe('npm run schema:publish', () => {
  let stack: TestStack;
  let rover: string;
  let current: string;
  let env: NodeJS.ProcessEnv;
  const publishArgs = (file: string, ...extra: string[]) => [
    'inventory', file, '--config', rover, '--against', current,
    '--router', stack.router.url.replace(/\/graphql$/, ''), '--issuer', stack.auth.issuer, ...extra,
  ];

  beforeAll(async () => {
    rover = roverWorkspace({ inventory: REDUCED });
    const outcome = composeSupergraph(readSubgraphSources(readRoverConfig(rover).subgraphs));
    if (!outcome.ok) throw new Error('the reduced workspace must compose');
    current = join(dirname(rover), 'supergraph.graphql');
    writeFileSync(current, outcome.supergraphSdl);
    stack = await startStack({ routerConfig: (c) => ({ ...c, supergraph: { rover } }) });
    env = { ...process.env, DEPUTY_CLIENT_SECRET_INVENTORY_TEAM: stack.auth.secret('inventory-team') };
  });
  afterAll(() => stack?.stop());

  it('checks, then publishes as the team to the running router', async () => {
    const result = await runScript('scripts/schemaPublish.ts', publishArgs(sdlFile(FULL)), env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ published inventory to http:\/\/127\.0\.0\.1:\d+: supergraph [0-9a-f]{16} -> [0-9a-f]{16}/);
    const alice = await stack.auth.userToken('alice');
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts(first: 1) { shippingEstimate } }' }, { authorization: `Bearer ${alice}` });
    expect(response.json()).toEqual({ data: { topProducts: [{ shippingEstimate: null }] } });
  });

  // Two script runs, each bounded by SCRIPT_TIMEOUT_MS.
  it('refuses breaking changes without --allow-breaking, before calling the router', { timeout: 2 * SCRIPT_TIMEOUT_MS + 5_000 }, async () => {
    const before = stack.audit.length;
    const full = composeSupergraph(readSubgraphSources(readRoverConfig(rover).subgraphs).map((s) => (s.name === 'inventory' ? { ...s, sdl: FULL } : s)));
    if (full.ok) writeFileSync(current, full.supergraphSdl);
    const refused = await runScript('scripts/schemaPublish.ts', publishArgs(sdlFile(REDUCED)), env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-breaking');
    expect(stack.audit.length).toBe(before);
    const accepted = await runScript('scripts/schemaPublish.ts', publishArgs(sdlFile(REDUCED), '--allow-breaking'), env);
    expect(accepted.code).toBe(0);
    expect(stack.audit.at(-1)).toMatchObject({ event: 'schema.publish', decision: 'published', breakingAccepted: ["Field 'shippingEstimate' was removed from object type 'Product'"] });
  });

  it('fails clearly without the team secret', async () => {
    const { DEPUTY_CLIENT_SECRET_INVENTORY_TEAM: _omit, ...without } = env;
    const result = await runScript('scripts/schemaPublish.ts', publishArgs(sdlFile(FULL)), { ...without, DEPUTY_LOCAL_SECRETS: '/nonexistent/secrets.json' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no secret for inventory-team');
  });
});
