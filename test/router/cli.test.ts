import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { freePort } from '../helpers/freePort.js';
import { childExit } from '../helpers/childExit.js';

/** How long one `deputy` process may take to start (seconds on a busy machine: it loads the whole router) and exit, or to listen. */
const PROCESS_MS = 60_000;

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['bin/deputy.js', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { child, exited: () => childExit(child, PROCESS_MS), output: () => ({ stdout, stderr }) };
}

describe('the deputy command', { timeout: PROCESS_MS + 10_000 }, () => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(() => auth?.stop());

  it('prints its usage with --help', async () => {
    const deputy = run(['--help']);
    expect(await deputy.exited()).toBe(0);
    expect(deputy.output().stdout).toContain('Usage: deputy');
  });

  it('prints its version with --version', async () => {
    const deputy = run(['--version']);
    expect(await deputy.exited()).toBe(0);
    expect(deputy.output().stdout.trim()).toMatch(/^deputy \d+\.\d+\.\d+$/);
  });

  it('refuses a port that browsers and fetch refuse to reach, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-cli-'));
    writeFileSync(join(dir, 'router.yaml'), `auth:\n  issuer: ${auth.issuer}\nexchange:\n  clientSecret: x\n`);
    const deputy = run(['--config', join(dir, 'router.yaml'), '--rover', 'rover.yaml', '--port', '6000']);
    expect(await deputy.exited()).toBe(1);
    expect(deputy.output().stderr).toContain('Port 6000');
    expect(deputy.output().stderr).toContain('bad port');
  });

  it('fails fast on a bad configuration key, naming its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-cli-'));
    writeFileSync(join(dir, 'router.yaml'), 'auth:\n  issuer: http://127.0.0.1:1\n  audiance: x\n');
    const deputy = run(['--config', join(dir, 'router.yaml')]);
    expect(await deputy.exited()).toBe(1);
    expect(deputy.output().stderr).toContain('auth: Unrecognized key: "audiance"');
  });

  it('runs against rover.yaml composed at start and any RFC 8693 provider from its config', { timeout: 2 * PROCESS_MS + 15_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-cli-'));
    const config = join(dir, 'router.yaml');
    writeFileSync(config, `auth:\n  issuer: ${auth.issuer}\nexchange:\n  clientSecret: \${ROUTER_SECRET}\n`);
    const port = await freePort();
    const deputy = run(['--config', config, '--rover', 'rover.yaml', '--port', String(port)], { ...process.env, ROUTER_SECRET: auth.secret('deputy-router') });
    try {
      const deadline = Date.now() + PROCESS_MS;
      while (!deputy.output().stdout.includes('router listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(deputy.output().stdout).toContain(`router listening on http://127.0.0.1:${port}/graphql`);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const unauthenticated = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users { id } }' }),
      });
      expect(unauthenticated.status).toBe(401);
      // Production by default: introspection refused, no console, and the banner says so.
      const token = await auth.userToken('alice');
      const introspection = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      });
      expect(introspection.status).toBe(400);
      expect(((await introspection.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
      expect(deputy.output().stdout).toContain('mode production');
    } finally {
      deputy.child.kill('SIGTERM');
      await deputy.exited();
    }
  });
});
