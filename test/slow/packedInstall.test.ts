// The package as a platform team gets it: `npm pack`, the tarball installed into an empty
// folder, `npx deputy --config <file>` run from there against the demo subgraphs.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { freePort } from '../helpers/freePort.js';

const execFileAsync = promisify(execFile);
// npm pack builds (prepare) and the install resolves every dependency (from the npm cache when
// it holds them): minutes on a loaded machine, so each step has its own generous bound.
const STEP_TIMEOUT_MS = 240_000;
const READY_TIMEOUT_MS = 60_000;
const expected = JSON.parse(readFileSync('test/fixtures/expected-response.json', 'utf8')) as unknown;

describe('the packed package installed into an empty folder', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'deputy-pack-'));
  const app = join(workspace, 'platform');
  let tarball: string;
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
    await execFileAsync('npm', ['pack', '--pack-destination', workspace], { timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    tarball = join(workspace, readdirSync(workspace).find((file) => file.endsWith('.tgz')) ?? 'no tarball written');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'platform', private: true }));
    await execFileAsync('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, timeout: STEP_TIMEOUT_MS });
  }, 2 * STEP_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('holds compiled JavaScript, its assets and entry points, and neither tests nor TypeScript sources', async () => {
    const listed = await execFileAsync('tar', ['-tzf', tarball]);
    const files = listed.stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['bin/deputy.js', 'dist/router/cli.js', 'dist/router/index.js', 'dist/router/index.d.ts', 'dist/subgraph-kit/index.js', 'dist/broker-client/index.js', 'dist/console/index.html', 'router/router.yaml', 'schema/supergraph.graphql']));
    expect(files.filter((file) => file.startsWith('test/') || file.startsWith('bench/'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'deputy', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies)).not.toContain('tsx');
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
  });

  it('exports the router, the subgraph kit and the broker client to importers, and nothing deeper', async () => {
    const script = [
      "const router = await import('deputy'); const kit = await import('deputy/subgraph'); const broker = await import('deputy/broker-client');",
      'console.log(typeof router.startRouter, typeof router.loadRouterConfig, typeof kit.protectSchema, typeof kit.createTokenVerifier, typeof kit.deputyApolloPlugin, typeof kit.useDeputy, typeof broker.createBrokerClient);',
      "await import('deputy/dist/router/startRouter.js').then(() => console.log('deep import allowed'), (error) => console.log(error.code));",
    ].join(' ');
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    expect(stdout.trim().split('\n')).toEqual(['function function function function function function function', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  });

  it('prints its version from the package, run from another folder', async () => {
    const { stdout } = await execFileAsync('npx', ['--no-install', 'deputy', '--version'], { cwd: app });
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(stdout.trim()).toBe(`deputy ${version}`);
  });

  it('serves the benchmark query and its console with npx deputy --config, paths resolved from the config file and the package', async () => {
    // The supergraph sits beside the config file and is named relatively: relative to the file, not the working directory.
    const configDir = join(app, 'conf');
    mkdirSync(configDir);
    copyFileSync('schema/supergraph.graphql', join(configDir, 'supergraph.graphql'));
    // Each subgraph's URL and the scopes the router asks for there, as the shipped router/router.yaml has them.
    const scopes: Record<string, string> = { accounts: 'accounts:read', products: 'products:read', inventory: 'inventory:read', reviews: 'reviews:read' };
    const subgraphs = stack.subgraphs.map((subgraph) => `  ${subgraph.name}:\n    url: ${subgraph.url}\n    scopes: [${scopes[subgraph.name]}]`).join('\n');
    const port = await freePort();
    writeFileSync(
      join(configDir, 'router.yaml'),
      `mode: development\nlisten:\n  port: ${port}\nsupergraph:\n  file: supergraph.graphql\nauth:\n  issuer: ${stack.auth.issuer}\nexchange:\n  clientSecret: \${ROUTER_SECRET}\nsubgraphs:\n${subgraphs}\n`,
    );
    // Its own process group: npx runs deputy as a child, and stopping the group stops both.
    const deputy = spawn('npx', ['--no-install', 'deputy', '--config', 'conf/router.yaml'], { cwd: app, detached: true, env: { ...process.env, ROUTER_SECRET: stack.auth.secret('deputy-router') } });
    let stdout = '';
    let stderr = '';
    deputy.stdout.on('data', (chunk) => (stdout += chunk));
    deputy.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => deputy.once('exit', resolve));
    try {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (!stdout.includes('ready in') && deputy.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stdout, stderr).toMatch(new RegExp(`router listening on http://127\\.0\\.0\\.1:${port}/graphql .*ready in \\d+ ms`));
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      const token = await stack.auth.userToken('alice');
      const response = await postGraphQL(`${base}/graphql`, { query: BENCHMARK_QUERY }, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(200);
      expect({ data: response.json().data }).toEqual(expected);
      // The console bundle comes from the installed package, whatever the working directory.
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/console/assets/');
    } finally {
      process.kill(-deputy.pid!, 'SIGTERM');
      await exited;
    }
  }, READY_TIMEOUT_MS + 30_000);
});
