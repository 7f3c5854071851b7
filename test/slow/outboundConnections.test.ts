import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';

// "No outbound connection that the configuration does not name" (a project rule). The whole stack
// runs as `npm start` runs it, every one of its processes preloading a recorder of connection
// attempts and name lookups; the README's requests go through it; then every attempt must be
// to one of the configured loopback ports. APOLLO_KEY and APOLLO_GRAPH_REF are set (as in a
// shell where someone uses Apollo's cloud) and APOLLO_TELEMETRY_DISABLED is not: the code has
// to say no to Apollo's reporting and the gateway's telemetry (cloud metadata probes and
// metrics export) on its own.

const RECORDER = fileURLToPath(new URL('../helpers/connectionRecorder.mjs', import.meta.url));
const PARTS = ['ROUTER', 'AUTH', 'ACCOUNTS', 'PRODUCTS', 'INVENTORY', 'REVIEWS'];
/** Every process that must have run with the recorder: `npm start`, its six parts, the token script. */
const PROCESSES = [
  'scripts/start.ts',
  'auth-server/main.ts',
  'subgraphs/main.ts accounts',
  'subgraphs/main.ts products',
  'subgraphs/main.ts inventory',
  'subgraphs/main.ts reviews',
  'router/cli.ts',
  'scripts/token.ts alice',
];
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const LOOKUP_ALLOWED = new Set(['127.0.0.1', 'localhost']);
/**
 * The one Unix socket allowed: tsx's loader, in every process it loads, tries its parent's
 * `tsx watch` channel, <tmpdir>/tsx-<uid>/<parent pid>.pipe (absent here, so it fails quietly).
 */
const tsxParentPipe = (ppid: number) => join(tmpdir(), `tsx-${process.getuid?.() ?? userInfo().username}`, `${ppid}.pipe`);
/** Every wait is bounded: start-up as `npm start` allows it, everything else well below. */
const READY_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 20_000;
/** The bounded steps after start-up: the token script, four queries, /metrics, /health, the exit. */
const STEPS = 8;

const execFileAsync = promisify(execFile);

interface Attempt {
  kind: 'start' | 'connect' | 'lookup' | 'udp';
  host?: string;
  port?: number;
  path?: string;
  via?: string;
  pid: number;
  ppid: number;
  proc: string;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${why} before ${pattern}:\n${output}`));
    };
    const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => fail(`exited with code ${code}`));
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function readAttempts(file: string): Attempt[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Attempt);
}

/** `host:port (process)` of each distinct attempt, for assertion messages. */
function describeAttempts(attempts: Attempt[]): string {
  const lines = attempts.map((attempt) => {
    const where = attempt.path ?? `${attempt.host}${attempt.port === undefined ? '' : `:${attempt.port}`}`;
    return `  ${attempt.kind} ${where}${attempt.via ? ` [${attempt.via}]` : ''} (${attempt.proc})`;
  });
  return [...new Set(lines)].sort().join('\n');
}

describe('outbound connections', () => {
  it('the whole stack, serving the README queries, connects only to the loopback ports it is configured with', { timeout: READY_TIMEOUT_MS + STEPS * STEP_TIMEOUT_MS }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-outbound-'));
    const log = join(dir, 'connections.jsonl');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DEPUTY_LOCAL_SECRETS: join(dir, 'secrets.json'),
      DEPUTY_CONNECTION_LOG: log,
      // Reaches every child: `npm start` passes its environment on to the parts it spawns.
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(RECORDER).href}`].filter(Boolean).join(' '),
      // What turns on Apollo's vendor reporting; it must not.
      APOLLO_KEY: 'fake-key',
      APOLLO_GRAPH_REF: 'fake@current',
    };
    // The code must turn the gateway's telemetry off itself.
    delete env.APOLLO_TELEMETRY_DISABLED;
    const ports = new Set<number>();
    for (const part of PARTS) {
      const port = await freePort();
      env[`DEPUTY_${part}_PORT`] = String(port);
      ports.add(port);
    }

    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env });
    try {
      await waitForOutput(start, /Deputy is ready/, READY_TIMEOUT_MS);

      const token = (await execFileAsync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', 'alice'], { env, timeout: STEP_TIMEOUT_MS })).stdout.trim();
      const origin = `http://127.0.0.1:${env.DEPUTY_ROUTER_PORT}`;
      const graphql = async (query: string, headers: Record<string, string> = {}) => {
        const response = await fetch(`${origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
          body: JSON.stringify({ query }),
          signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
        });
        const text = await response.text();
        expect(response.status, text).toBe(200);
        const body = JSON.parse(text) as Record<string, unknown>;
        expect(body.data, text).toBeTruthy();
        return body;
      };

      // The Quickstart query.
      const quickstart = await graphql('{ topProducts { name price inStock reviews { body author { username } } } }');
      expect((quickstart.data as { topProducts: unknown[] }).topProducts.length).toBeGreaterThan(0);
      await graphql('{ me { username birthday } users { username birthday } }');
      // A broker hop: accounts asks reviews through the router.
      expect(await graphql('{ users { username reviewCount } }')).toMatchObject({ data: { users: expect.arrayContaining([{ username: 'urigo', reviewCount: 2 }]) } });
      // A traced query.
      const traced = await graphql('query Stock { topProducts(first: 1) { name inStock } }', { 'x-delegation-trace': '1' });
      expect(traced).toMatchObject({ extensions: { delegationTrace: { version: 1 } } });

      const metrics = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
      expect(metrics.status).toBe(200);
      await metrics.text();
      const health = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
      expect(await health.json()).toEqual({ status: 'ok' });

      // Ctrl-C: `npm start` exits once every part has exited, so every part's log lines are written.
      start.kill('SIGINT');
      expect(await waitForExit(start, STEP_TIMEOUT_MS)).toBe(0);
    } finally {
      if (start.exitCode === null) start.kill('SIGKILL');
    }

    const attempts = readAttempts(log);
    const all = describeAttempts(attempts.filter((attempt) => attempt.kind !== 'start'));
    // The recorder ran in every process (otherwise an empty log would prove nothing).
    const recorded = new Set(attempts.filter((attempt) => attempt.kind === 'start').map((attempt) => attempt.proc));
    expect([...recorded].sort(), 'processes that loaded the recorder').toEqual(expect.arrayContaining(PROCESSES));
    // The recorder saw the traffic of the queries: the router reaching the issuer and each
    // subgraph, and accounts reaching the router's broker.
    const reached = (proc: string, part: string) => attempts.some((attempt) => attempt.kind === 'connect' && attempt.proc === proc && attempt.port === Number(env[`DEPUTY_${part}_PORT`]));
    for (const part of PARTS.filter((name) => name !== 'ROUTER')) expect(reached('router/cli.ts', part), `router -> ${part}\n${all}`).toBe(true);
    expect(reached('subgraphs/main.ts accounts', 'ROUTER'), `accounts -> router (broker)\n${all}`).toBe(true);

    const unexpected = attempts.filter((attempt) => {
      if (attempt.kind === 'start') return false;
      if (attempt.kind === 'lookup') return !LOOKUP_ALLOWED.has(attempt.host ?? '');
      if (attempt.kind === 'connect' && attempt.path !== undefined) return attempt.path !== tsxParentPipe(attempt.ppid);
      if (attempt.kind === 'connect') return !LOOPBACK.has(attempt.host ?? '') || !ports.has(attempt.port ?? -1);
      return true;
    });
    expect(
      describeAttempts(unexpected),
      `connections or lookups the configuration does not name (configured ports: ${[...ports].join(', ')}; log ${log}); every destination recorded:\n${all}\n`,
    ).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });
});
