import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { freePort } from '../helpers/freePort.js';
import { childExit } from '../helpers/childExit.js';

// An issuer that is down when the router starts delays readiness; it does not end the router.

/** How long the router may take to log a line it is waited for, or to exit (it loads the whole router: seconds on a busy machine). */
const LOG_WAIT_MS = 60_000;
/** A test's time besides those waits: the issuer's start, requests. */
const REST_MS = 15_000;

function deputy(config: string, port: number) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')));
  const child = spawn(process.execPath, ['bin/deputy.js', '--config', config, '--rover', 'rover.yaml', '--port', String(port)], { env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const waitFor = async (text: string) => {
    const deadline = Date.now() + LOG_WAIT_MS;
    while (!output.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(text);
  };
  return { child, exited: () => childExit(child, LOG_WAIT_MS), waitFor, output: () => output };
}

describe('the router when its issuer is down at start', () => {
  let auth: TestAuth | undefined;
  afterAll(() => auth?.stop());

  it('listens, is live but not ready (503 NOT_READY), and becomes ready when the issuer appears', { timeout: 3 * LOG_WAIT_MS + REST_MS }, async () => {
    const issuerPort = await freePort();
    const routerPort = await freePort();
    const secret = randomUUID();
    const dir = mkdtempSync(join(tmpdir(), 'deputy-issuer-down-'));
    const config = join(dir, 'router.yaml');
    writeFileSync(config, JSON.stringify({ auth: { issuer: `http://127.0.0.1:${issuerPort}` }, exchange: { clientSecret: secret } }));
    const router = deputy(config, routerPort);
    try {
      await router.waitFor('not ready: the issuer');
      const base = `http://127.0.0.1:${routerPort}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect((await fetch(`${base}/health/ready`)).status).toBe(503);
      const early = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(((await early.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_READY');
      expect(router.child.exitCode).toBeNull();

      auth = await startAuth((defaults) => ({ port: issuerPort, clientSecrets: { ...defaults.clientSecrets, 'deputy-router': secret } }));
      await router.waitFor('ready in');
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      // Serving: a request without a token is now the router's own 401, not 503.
      const served = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(served.status).toBe(401);
      router.child.kill('SIGTERM');
      expect(await router.exited()).toBe(0);
    } finally {
      if (router.child.exitCode === null) router.child.kill('SIGKILL');
    }
  });

  it('stops cleanly (exit 0) on SIGTERM while still waiting for the issuer', { timeout: 2 * LOG_WAIT_MS + REST_MS }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-issuer-down-'));
    const config = join(dir, 'router.yaml');
    writeFileSync(config, JSON.stringify({ auth: { issuer: `http://127.0.0.1:${await freePort()}` }, exchange: { clientSecret: 'unused-secret' } }));
    const router = deputy(config, await freePort());
    try {
      await router.waitFor('not ready: the issuer');
      router.child.kill('SIGTERM');
      expect(await router.exited()).toBe(0);
    } finally {
      if (router.child.exitCode === null) router.child.kill('SIGKILL');
    }
  });
});
