import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';
import { SCRIPT_TIMEOUT_MS, runScript } from '../helpers/runScript.js';
import { postGraphQL } from '../helpers/graphql.js';
import { childExit } from '../helpers/childExit.js';

const PARTS = ['ROUTER', 'AUTH', 'ACCOUNTS', 'PRODUCTS', 'INVENTORY', 'REVIEWS'];
/** How long the whole stack may take to say it is ready (six processes loading: a minute or more on a busy machine). */
const READY_MS = 120_000;
/** How long the stack may take to exit once told to. */
const STOP_MS = 30_000;
/** A test's time besides start-up, scripts and the stop: its requests, the wait for survivors (3 s). */
const REST_MS = 15_000;

async function portEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, DEPUTY_LOCAL_SECRETS: join(mkdtempSync(join(tmpdir(), 'deputy-start-')), 'secrets.json') };
  for (const part of PARTS) env[`DEPUTY_${part}_PORT`] = String(await freePort());
  return env;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`)), timeoutMs);
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
  });
}

/** Child processes of `parent` whose executable is named `program` (e.g. node), read from ps. */
function childPids(parent: number, program?: string): number[] {
  // ps exits 1 when nothing matches: read its output regardless. The executable comes from the
  // command line, not `comm`: Node 24 names its main thread "MainThread", which ps shows as comm.
  const out = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, executable]) => Number(pid) > 0 && (program === undefined || executable?.split('/').pop() === program))
    .map(([pid]) => Number(pid));
}

/** Every process below `parent` (children, grandchildren...). */
function descendants(parent: number): number[] {
  return childPids(parent).flatMap((pid) => [pid, ...descendants(pid)]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes of `pids` still alive after up to `ms` (helpers like esbuild exit just after their parent). */
async function survivors(pids: number[], ms = 3000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.filter(isAlive);
}

/** Which part of the stack a process is, from its command line. */
function partOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (args.some((arg) => arg.endsWith('auth-server/main.ts'))) return 'auth';
  if (args.some((arg) => arg.endsWith('router/cli.ts'))) return 'router';
  return args[args.findIndex((arg) => arg.endsWith('subgraphs/main.ts')) + 1];
}

/** The client-secret variables a process was started with (names only). */
function secretNames(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .map((entry) => entry.split('=')[0])
    .filter((name) => name.startsWith('DEPUTY_CLIENT_SECRET_'))
    .sort();
}

/** One variable of a process's environment. */
function envVariable(pid: number, name: string): string | undefined {
  const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((line) => line.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}

/** Every stack a test started: a failing test must not leave one running (afterEach kills what is left). */
const launched: ChildProcess[] = [];
function startStackProcess(env: NodeJS.ProcessEnv): ChildProcess {
  const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env });
  launched.push(start);
  return start;
}

describe('npm start', () => {
  afterEach(() => {
    for (const start of launched.splice(0)) {
      if (start.exitCode !== null || start.signalCode !== null || !start.pid) continue;
      for (const pid of [...descendants(start.pid), start.pid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });

  it('starts every part, serves a query through the router, and leaves no process behind on Ctrl-C', { timeout: READY_MS + 2 * SCRIPT_TIMEOUT_MS + STOP_MS + REST_MS }, async () => {
    const env = await portEnv();
    const start = startStackProcess(env);
    const output = await waitForOutput(start, /Deputy is ready/, READY_MS);
    expect(output).toContain(`http://127.0.0.1:${env.DEPUTY_ROUTER_PORT}/graphql`);
    expect(output).toContain('curl -s');

    expect(childPids(start.pid!, 'node')).toHaveLength(6);
    // Each part holds only the secrets it needs: the auth server all of them, the router its own,
    // each subgraph its service's; the team secrets go to the local file only.
    const secretsOf = Object.fromEntries(childPids(start.pid!, 'node').map((pid) => [partOf(pid), secretNames(pid)]));
    // The router's, four services', four teams' and the registry admin's.
    expect(secretsOf.auth).toHaveLength(10);
    expect(secretsOf.router).toEqual(['DEPUTY_CLIENT_SECRET_DEPUTY_ROUTER']);
    for (const name of ['accounts', 'products', 'inventory', 'reviews']) expect(secretsOf[name]).toEqual([`DEPUTY_CLIENT_SECRET_${name.toUpperCase()}_SERVICE`]);
    // The auth server pushes security events to the router and each subgraph, at POST /events, each under its audience.
    const authPid = childPids(start.pid!, 'node').find((pid) => partOf(pid) === 'auth')!;
    const at = (port: string | undefined) => `http://127.0.0.1:${port}/events`;
    expect(envVariable(authPid, 'DEPUTY_SSF_RECEIVERS')?.split(',').sort()).toEqual([
      `accounts=${at(env.DEPUTY_ACCOUNTS_PORT)}`,
      `deputy-router=${at(env.DEPUTY_ROUTER_PORT)}`,
      `inventory=${at(env.DEPUTY_INVENTORY_PORT)}`,
      `products=${at(env.DEPUTY_PRODUCTS_PORT)}`,
      `reviews=${at(env.DEPUTY_REVIEWS_PORT)}`,
    ]);
    // Team and registry admin secrets for local tools (deputy subgraph/schema), readable by this user only.
    expect(statSync(env.DEPUTY_LOCAL_SECRETS!).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(env.DEPUTY_LOCAL_SECRETS!, 'utf8')) as object).sort()).toEqual([
      'DEPUTY_CLIENT_SECRET_ACCOUNTS_TEAM',
      'DEPUTY_CLIENT_SECRET_INVENTORY_TEAM',
      'DEPUTY_CLIENT_SECRET_PRODUCTS_TEAM',
      'DEPUTY_CLIENT_SECRET_REGISTRY_ADMIN',
      'DEPUTY_CLIENT_SECRET_REVIEWS_TEAM',
    ]);

    // The embedded authorization server issues a router token through the login flow...
    const token = await runScript('scripts/token.ts', ['alice'], env);
    expect(token.code).toBe(0);
    const routerUrl = `http://127.0.0.1:${env.DEPUTY_ROUTER_PORT}/graphql`;
    const query = { query: '{ users { username reviews { product { name inStock } } } }' };
    // ...without which the router refuses the query, and with which it is served.
    expect((await postGraphQL(routerUrl, query)).status).toBe(401);
    const response = await postGraphQL(routerUrl, query, { authorization: `Bearer ${token.stdout.trim()}` });
    expect(response.json()).toMatchObject({ data: { users: expect.arrayContaining([expect.objectContaining({ username: 'urigo' })]) } });
    // A two-hop call: accounts asks reviews through the router's broker, as its own service client.
    const brokered = await postGraphQL(routerUrl, { query: '{ users { reviewCount } }' }, { authorization: `Bearer ${token.stdout.trim()}` });
    expect(brokered.json()).toEqual({ data: { users: Array(6).fill({ reviewCount: 2 }) } });
    // The registry verbs find the router, the issuer and the registry admin's secret by themselves.
    const history = await runScript('router/cli.ts', ['schema', 'history'], env);
    expect([history.code, history.stderr]).toEqual([0, '']);
    expect(history.stdout).toMatch(/^ {4}1 .* deputy-router +initial/m);

    const children = descendants(start.pid!);
    start.kill('SIGINT');
    expect(await childExit(start, STOP_MS)).toBe(0);
    expect(existsSync(env.DEPUTY_LOCAL_SECRETS!)).toBe(false);
    expect(await survivors(children)).toEqual([]);
  });

  it('stops the whole stack when one part dies', { timeout: READY_MS + STOP_MS + REST_MS }, async () => {
    const env = await portEnv();
    const start = startStackProcess(env);
    await waitForOutput(start, /Deputy is ready/, READY_MS);
    const parts = childPids(start.pid!, 'node');
    const children = descendants(start.pid!);
    process.kill(parts[0], 'SIGKILL');
    expect(await childExit(start, STOP_MS)).toBe(1);
    expect(await survivors(children)).toEqual([]);
  });

  it('stops every part on SIGTERM, each gracefully, and exits 0', { timeout: READY_MS + STOP_MS + REST_MS }, async () => {
    const env = await portEnv();
    const start = startStackProcess(env);
    await waitForOutput(start, /Deputy is ready/, READY_MS);
    const children = descendants(start.pid!);
    let output = '';
    start.stdout?.on('data', (chunk) => (output += chunk));
    start.kill('SIGTERM');
    expect(await childExit(start, STOP_MS)).toBe(0);
    expect(await survivors(children)).toEqual([]);
    // No part died on its own: each was stopped (an unexpected exit is reported as "exited (code").
    expect(output).not.toContain('exited (code');
  });

  it('stops every part when `npm start` itself gets SIGTERM (npm hands it to the stack)', { timeout: READY_MS + STOP_MS + REST_MS }, async () => {
    const env = await portEnv();
    // --ignore-scripts skips prestart (the console build): only the start script runs.
    const npm = spawn('npm', ['start', '--ignore-scripts'], { env });
    launched.push(npm);
    await waitForOutput(npm, /Deputy is ready/, READY_MS);
    const children = descendants(npm.pid!);
    expect(children.length).toBeGreaterThanOrEqual(7);
    npm.kill('SIGTERM');
    await childExit(npm, STOP_MS);
    expect(await survivors(children)).toEqual([]);
  });

  // Each part starts before one of them fails: as long as a start-up on a busy machine.
  it('names the part that died and its last error', { timeout: READY_MS + REST_MS }, async () => {
    const env = { ...(await portEnv()), DEPUTY_DATASET: 'no-such-dataset' };
    const result = await runScript('scripts/start.ts', [], env, READY_MS);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/(accounts|products|inventory|reviews) exited \(code 1\); its last error:\n {2}\w+: DEPUTY_DATASET must be benchmark or demo, got "no-such-dataset"/);
  });

  it('refuses a port that browsers and fetch refuse to reach (6000), naming the variable', async () => {
    const result = await runScript('scripts/start.ts', [], { ...(await portEnv()), DEPUTY_AUTH_PORT: '6000' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Port 6000 (auth) is one that browsers and fetch refuse to connect to');
    expect(result.stderr).toContain('DEPUTY_AUTH_PORT');
  });

  it('refuses to start when a port is taken, naming the port and the variable that moves it', async () => {
    const env = await portEnv();
    const blocker: Server = createServer();
    const port = Number(env.DEPUTY_PRODUCTS_PORT);
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runScript('scripts/start.ts', [], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 (products) is already in use`);
      expect(result.stderr).toContain('DEPUTY_PRODUCTS_PORT');
    } finally {
      blocker.close();
    }
  });
});
