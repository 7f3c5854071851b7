import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../auth-server/demoIdentities.js';
import { composeSupergraph, readSubgraphSources } from '../../registry/compose/composeSupergraph.js';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { freePort } from '../helpers/freePort.js';
import { FULL_INVENTORY, REDUCED_INVENTORY, roverWorkspace } from '../helpers/roverWorkspace.js';

// The fleet test (issue 18): three `deputy` router processes sharing one Redis of the test's
// own (token cache, audit stream, published schema), under a bounded load from several users,
// while Redis is killed, slowed, and while one router is stopped. No router dies, every
// request answers within a hang bound with data or a typed error, readiness tells the truth,
// and the fleet converges again when Redis returns.

/** Each query touches exactly three subgraphs (products, inventory, accounts): three delegation events. */
const QUERY = JSON.stringify({ query: '{ topProducts { name inStock } users { username } }' });
const TARGETS = ['accounts', 'inventory', 'products'];
/** A request still unanswered after this is aborted and recorded as hung. */
const ABORT_MS = 10_000;
/** Hang detectors, not performance assertions. */
const OUTAGE_BOUND_MS = 5_000;
const SLOW_BOUND_MS = 2_000;
const COMMAND_TIMEOUT_MS = 200;

interface Outcome {
  router: string;
  /** When the request was sent, relative to the load's start. */
  at: number;
  ms: number;
  traceId: string;
  status?: number;
  /** 200 with data and no error. */
  ok: boolean;
  /** The error codes of a typed error answer. */
  codes?: string[];
  /** An untyped answer, a reset, a hang. */
  failure?: string;
  /** The connection was refused (the router had stopped listening). */
  refused?: boolean;
}

interface RouterProcess {
  name: string;
  child: ChildProcess;
  url: string;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Not sent to any more: it refused a connection (it is stopping). */
  gone: boolean;
}

interface RedisProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

// As in production: none of the test runner's variables.
const productionEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')));

/** Children still running, killed outright if this worker exits without its afterAll. */
const children = new Set<ChildProcess>();
const killAll = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.once('exit', killAll);

function track(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  children.add(child);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
}

/** A Redis of the test's own, no persistence (a restart is an empty Redis); DEBUG SLEEP allowed from loopback. */
async function startRedis(port: number): Promise<RedisProcess> {
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--enable-debug-command', 'local'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // Should this worker be killed outright (no afterAll, no exit handler), the watchdog's stdin
  // closes and it kills Redis: no orphan keeps the port.
  const watchdog = spawn('/bin/sh', ['-c', `read _; kill -9 ${child.pid}`], { stdio: ['pipe', 'ignore', 'ignore'] });
  void track(watchdog);
  let gone = false;
  const exited = track(child).then(() => {
    gone = true;
    watchdog.kill('SIGKILL');
  });
  for (let i = 0; i < 100 && !gone && !output.includes('Ready to accept connections'); i++) await sleep(50);
  if (!output.includes('Ready to accept connections')) throw new Error(`redis-server did not start on ${port}:\n${output}`);
  return { child, exited };
}

async function startRouterProcess(name: string, configFile: string, env: NodeJS.ProcessEnv): Promise<RouterProcess> {
  // An IPC channel: the router also stops if this worker dies (stopOnSignalOrParentExit).
  const child = spawn(process.execPath, ['bin/deputy.js', '--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = track(child);
  let url: string | undefined;
  for (let i = 0; i < 600 && !url && child.exitCode === null; i++) {
    url = /router listening on (http:\/\/\S+\/graphql)/.exec(output)?.[1];
    if (!url) await sleep(100);
  }
  if (!url) throw new Error(`router ${name} did not start:\n${output}`);
  return { name, child, url, base: url.replace(/\/graphql$/, ''), output: () => output, exited, gone: false };
}

async function send(router: RouterProcess, token: string, at: number): Promise<Outcome> {
  const traceId = randomBytes(16).toString('hex');
  const started = performance.now();
  const outcome = { router: router.name, at, traceId, ok: false };
  try {
    const response = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: QUERY,
      signal: AbortSignal.timeout(ABORT_MS),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { ...outcome, ms, status: response.status, failure: `${response.status} not JSON: ${text.slice(0, 120)}` };
    }
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (response.status === 200 && body.data && errors.length === 0) return { ...outcome, ms, status: 200, ok: true };
    const codes = errors.map((error) => error?.extensions?.code);
    if (errors.length > 0 && codes.every((code) => typeof code === 'string')) return { ...outcome, ms, status: response.status, codes: codes as string[] };
    return { ...outcome, ms, status: response.status, failure: `${response.status} untyped: ${text.slice(0, 200)}` };
  } catch (error) {
    const ms = performance.now() - started;
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { ...outcome, ms, refused: code === 'ECONNREFUSED', failure: `${code}: ${(error as Error).message}` };
  }
}

/**
 * A bounded load: `loops` concurrent loops, each at most `perLoop` requests and until
 * `deadlineMs`, round robin over the routers; each token goes to every router in turn.
 */
function startLoad(routers: RouterProcess[], tokens: string[], { loops = 6, perLoop = 200, deadlineMs = 25_000 } = {}) {
  const outcomes: Outcome[] = [];
  const start = Date.now();
  const deadline = start + deadlineMs;
  let stopped = false;
  let next = 0;
  const loop = async () => {
    for (let i = 0; i < perLoop && !stopped && Date.now() < deadline; i++) {
      const n = next++;
      const live = routers.filter((router) => !router.gone);
      if (live.length === 0) return;
      const router = live[n % live.length];
      const outcome = await send(router, tokens[Math.floor(n / routers.length) % tokens.length], Date.now() - start);
      if (outcome.refused) router.gone = true;
      outcomes.push(outcome);
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    outcomes,
    start,
    /** Waits (bounded) until `count` more answers than now, or `timeoutMs`. */
    async more(count: number, timeoutMs = 15_000) {
      const target = outcomes.length + count;
      const until = Date.now() + timeoutMs;
      while (outcomes.length < target && Date.now() < until && !stopped) await sleep(20);
    },
    async stop() {
      stopped = true;
      await done;
      return outcomes;
    },
  };
}

const describeOutcomes = (outcomes: Outcome[]) => outcomes.map((o) => `${o.router} +${o.at}ms ${Math.round(o.ms)}ms ${o.failure ?? o.codes?.join(',') ?? 'ok'}`).join('\n');

describe('a fleet of three routers sharing one Redis', () => {
  const prefix = `deputy-fleet:${randomUUID()}:`;
  const dir = mkdtempSync(join(tmpdir(), 'deputy-fleet-'));
  let stack: TestStack;
  let redisPort: number;
  let redis: RedisProcess | undefined;
  let routers: RouterProcess[] = [];
  let tokens: string[] = [];
  let rover: string | undefined;
  /** Tokens never sent yet, per case: their first use on each router is a Redis lookup. */
  const fresh: string[][] = [];

  const restartRedis = async () => {
    redis = await startRedis(redisPort);
  };
  const killRedis = async () => {
    redis!.child.kill('SIGKILL');
    await redis!.exited;
  };
  const ready = async (router: RouterProcess) => {
    const response = await fetch(`${router.base}/health/ready`, { signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: (await response.json()) as { status: string; redis?: { status: string; detail?: string } } };
  };
  /** Polls until every router's readiness reports Redis `status`, or `timeoutMs`; returns the last answers. */
  const waitForRedis = async (status: 'up' | 'down', timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    let last = await Promise.all(routers.map(ready));
    while (!last.every((answer) => answer.body.redis?.status === status) && Date.now() < until) {
      await sleep(100);
      last = await Promise.all(routers.map(ready));
    }
    return last;
  };
  /** Each case starts with Redis up, whatever an earlier case left. */
  const ensureRedisUp = async () => {
    if (!redis || redis.child.exitCode !== null || redis.child.signalCode !== null) await restartRedis();
    const up = await waitForRedis('up', 15_000);
    expect(up.map((answer) => answer.body.redis?.status)).toEqual(['up', 'up', 'up']);
  };
  /** The delegation events of the audit stream, `target:decision` per trace id. */
  const delegationsByTrace = async () => {
    const client = createClient({ url: `redis://127.0.0.1:${redisPort}`, socket: { connectTimeout: 5000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const byTrace = new Map<string, string[]>();
      for (const entry of await client.xRange(`${prefix}audit`, '-', '+')) {
        const event = JSON.parse(String(entry.message.event)) as { event: string; traceId?: string; target?: string; decision?: string };
        if (event.event === 'delegation' && event.traceId) byTrace.set(event.traceId, [...(byTrace.get(event.traceId) ?? []), `${event.target}:${event.decision}`]);
      }
      return byTrace;
    } finally {
      await client.close();
    }
  };
  /**
   * Served requests whose delegation events are not one granted event per subgraph of the query.
   * An event may be there twice: a batch whose write outlasted the command timeout (200 ms here,
   * easily reached on a busy machine) but landed is written again (the stream is at least once).
   */
  const unaudited = (served: Outcome[], byTrace: Map<string, string[]>) =>
    served
      .filter((o) => JSON.stringify([...new Set(byTrace.get(o.traceId))].sort()) !== JSON.stringify(TARGETS.map((target) => `${target}:granted`)))
      .map((o) => `${o.router} +${o.at}ms ${o.traceId}: ${JSON.stringify(byTrace.get(o.traceId) ?? [])}`);
  /** The status of a query for shippingEstimate: 200 where the served supergraph has it, 400 (validation) where not. */
  const estimate = async (router: RouterProcess) => {
    const response = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { shippingEstimate } }' }),
      signal: AbortSignal.timeout(ABORT_MS),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  /** Publishes an inventory SDL on one router, as the inventory team. */
  const publish = async (router: RouterProcess, body: Record<string, unknown>) => {
    const grant = await stack.auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: 'schema:publish' }, { id: 'inventory-team', secret: stack.auth.secret('inventory-team') });
    expect(grant.status).toBe(200);
    const response = await fetch(`${router.base}/admin/schema`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${String(grant.body.access_token)}` },
      body: JSON.stringify({ subgraph: 'inventory', ...body }),
      signal: AbortSignal.timeout(ABORT_MS),
    });
    return { status: response.status, text: await response.text() };
  };
  /** Polls (bounded, 15 s) until `probe` gives `expected` on every router of `targets`; returns the last answers. */
  const converge = async <T>(targets: RouterProcess[], probe: (router: RouterProcess) => Promise<T>, expected: T) => {
    const until = Date.now() + 15_000;
    let seen = await Promise.all(targets.map(probe));
    while (!seen.every((answer) => answer === expected) && Date.now() < until) {
      await sleep(100);
      seen = await Promise.all(targets.map(probe));
    }
    return seen;
  };
  const status = async (router: RouterProcess) => (await estimate(router)).status;
  const running = () => routers.map((router) => ({ name: router.name, code: router.child.exitCode, signal: router.child.signalCode }));
  const allRunning = () => routers.map((router) => ({ name: router.name, code: null, signal: null }));

  beforeAll(async () => {
    let raw: Record<string, unknown> = {};
    stack = await startStack({
      routerConfig: (config) => {
        raw = config;
        return { ...config, supergraph: { ...config.supergraph, watch: false } };
      },
    });
    redisPort = await freePort();
    await restartRedis();

    // The fleet starts on a supergraph without inventory's shippingEstimate: publishing the full
    // inventory SDL adds it back (compatible, and the running subgraph serves it).
    rover = roverWorkspace({ inventory: REDUCED_INVENTORY });
    const composed = composeSupergraph(readSubgraphSources(readRoverConfig(rover).subgraphs));
    if (!composed.ok) throw new Error(JSON.stringify(composed.problems));
    writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl);
    const config = {
      mode: 'development',
      listen: { host: '127.0.0.1', port: 0 },
      supergraph: { file: join(dir, 'supergraph.graphql'), sources: rover, watch: false },
      auth: { issuer: stack.auth.issuer },
      exchange: { clientSecret: '${ROUTER_SECRET}', cache: { backend: 'redis' } },
      shared: { redisUrl: `redis://127.0.0.1:${redisPort}`, keyPrefix: prefix, tokenEncryptionKey: '${TOKEN_KEY}', commandTimeoutMs: COMMAND_TIMEOUT_MS },
      audit: { sink: 'redis' },
      subgraphs: raw.subgraphs,
      broker: raw.broker,
    };
    writeFileSync(join(dir, 'router.json'), JSON.stringify(config, null, 2));
    const env = { ...productionEnv(), ROUTER_SECRET: stack.auth.secret('deputy-router'), TOKEN_KEY: randomBytes(32).toString('base64') };
    routers = await Promise.all(['A', 'B', 'C'].map((name) => startRouterProcess(name, join(dir, 'router.json'), env)));

    // Several users; two more sessions each per case that needs cold tokens.
    tokens = await Promise.all(DEMO_USERS.map((user) => stack.auth.userToken(user)));
    for (let round = 0; round < 2; round++) fresh.push(await Promise.all([...DEMO_USERS, ...DEMO_USERS].map((user) => stack.auth.userToken(user))));
  }, 90_000);

  afterAll(async () => {
    const stopping = routers.filter((router) => router.child.exitCode === null && router.child.signalCode === null);
    for (const router of stopping) router.child.kill('SIGTERM');
    await Promise.race([Promise.all(stopping.map((router) => router.exited)), sleep(5000)]);
    killAll();
    await Promise.all(routers.map((router) => router.exited));
    if (redis) await killRedis();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (rover) rmSync(dirname(rover), { recursive: true, force: true });
  }, 30_000);

  it('survives Redis SIGKILLed under load: no exit, typed answers within bounds, degraded readiness, then recovery', async () => {
    await ensureRedisUp();
    const load = startLoad(routers, [...tokens, ...fresh[0]]);
    await load.more(20);
    const killedAt = load.outcomes.length;
    await killRedis();
    const down = await waitForRedis('down', 10_000);
    const allDownAt = Date.now();
    await load.more(40);
    const outcomes = await load.stop();
    // Sent once every router knew Redis was down: their audit events wait in the routers' buffers.
    const duringOutage = outcomes.filter((o) => o.ok && load.start + o.at > allDownAt);
    console.log(`Redis killed: ${outcomes.length} requests, ${outcomes.filter((o) => o.ok).length} ok, typed ${JSON.stringify(outcomes.filter((o) => o.codes).map((o) => o.codes))}, slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms`);

    expect(running()).toEqual(allRunning());
    for (const answer of down) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'degraded', redis: { status: 'down' } });
    }
    expect(describeOutcomes(outcomes.filter((o) => o.failure))).toBe('');
    expect(describeOutcomes(outcomes.filter((o) => o.ms >= OUTAGE_BOUND_MS))).toBe('');
    expect(outcomes.slice(killedAt).filter((o) => o.ok).length).toBeGreaterThanOrEqual(30);
    expect(duringOutage.length).toBeGreaterThan(0);

    await restartRedis();
    const up = await waitForRedis('up', 15_000);
    for (const answer of up) expect(answer.body).toEqual({ status: 'ok', redis: { status: 'up' } });
    // The audit events held while Redis was away are written once it is back (bounded poll).
    const until = Date.now() + 10_000;
    let missing = unaudited(duringOutage, await delegationsByTrace());
    while (missing.length > 0 && Date.now() < until) {
      await sleep(100);
      missing = unaudited(duringOutage, await delegationsByTrace());
    }
    expect(missing).toEqual([]);
    // Its bounded waits, at most: Redis up 20 s, the load 40 s (Redis down 10 s within it), Redis back 20 s, the audit 10 s.
  }, 120_000);

  it('answers within the command timeout while Redis is slow (DEBUG SLEEP 2)', async () => {
    await ensureRedisUp();
    const sleeping = new Promise<number | null>((resolve) => {
      const cli = spawn('/usr/bin/redis-cli', ['-p', String(redisPort), 'DEBUG', 'SLEEP', '2'], { stdio: 'ignore' });
      cli.once('exit', resolve);
    });
    await sleep(50);
    // Cold tokens: each one's first use on each router is a Redis lookup, then a store.
    const load = startLoad(routers, fresh[1]);
    expect(await sleeping).toBe(0);
    await load.more(20);
    const outcomes = await load.stop();
    console.log(`Redis slow: ${outcomes.length} requests, ${outcomes.filter((o) => o.ok).length} ok, slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms`);

    expect(running()).toEqual(allRunning());
    expect(describeOutcomes(outcomes.filter((o) => o.failure))).toBe('');
    // shared.commandTimeoutMs: "a slow Redis delays a request by at most this". The timeout
    // (200 ms) plus normal work, generously: not the 2 s Redis stalls.
    expect(describeOutcomes(outcomes.filter((o) => o.ms >= SLOW_BOUND_MS))).toBe('');
    // Its bounded waits, at most: Redis up 20 s, DEBUG SLEEP 2 s, the load 35 s (its 25 s deadline, a last 10 s request).
  }, 90_000);

  it('a publish on one instance during a Redis outage is served there at once and reaches the others when Redis returns', async () => {
    await ensureRedisUp();
    const [a, b, c] = routers;
    for (const router of routers) expect((await estimate(router)).status).toBe(400);

    await killRedis();
    expect((await waitForRedis('down', 10_000)).map((answer) => answer.body.redis?.status)).toEqual(['down', 'down', 'down']);
    const published = await publish(a, { sdl: FULL_INVENTORY });
    expect(published.status, published.text).toBe(200);
    // The inventory subgraph resolves shippingEstimate to null: served, no longer refused by validation.
    expect(await estimate(a)).toEqual({ status: 200, body: { data: { topProducts: [{ shippingEstimate: null }] } } });
    expect((await estimate(b)).status).toBe(400);
    expect((await estimate(c)).status).toBe(400);

    await restartRedis();
    expect(await converge([b, c], status, 200), `B and C after Redis returned:\n${b.output()}\n${c.output()}`).toEqual([200, 200]);

    // Every client reconnected: a publish on B (the field removed again) reaches A and C.
    const reverted = await publish(b, { sdl: REDUCED_INVENTORY, allowBreaking: true });
    expect(reverted.status, reverted.text).toBe(200);
    expect((await estimate(b)).status).toBe(400);
    expect(await converge([a, c], status, 400), `A and C after B's publish:\n${a.output()}\n${c.output()}`).toEqual([400, 400]);
    // Its bounded waits, at most: Redis up 20 s, down 10 s, back 5 s, two convergences of 15 s, and its requests.
  }, 120_000);

  it('a publish while the other instances\' subscriber connections are away (their main ones up) still reaches them', async () => {
    await ensureRedisUp();
    const [a, b, c] = routers;
    // A change no earlier case made: a description seen through introspection (development mode).
    const marker = `fleet marker ${randomUUID()}`;
    const sdl = FULL_INVENTORY.replace('  inStock: Boolean\n', `  "${marker}"\n  inStock: Boolean\n`);
    expect(sdl).toContain(marker);
    const description = async (router: RouterProcess) => {
      const response = await fetch(router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
        body: JSON.stringify({ query: '{ __type(name: "Product") { fields { name description } } }' }),
        signal: AbortSignal.timeout(ABORT_MS),
      });
      const body = (await response.json()) as { data?: { __type?: { fields: { name: string; description: string | null }[] } } };
      return body.data?.__type?.fields.find((field) => field.name === 'inStock')?.description ?? null;
    };

    // Every subscriber connection drops (as an idle-connection reaper or a network blip would do)
    // and cannot come back for a moment: Redis takes no new client. The main connections stay up.
    const admin = createClient({ url: `redis://127.0.0.1:${redisPort}`, socket: { connectTimeout: 5000, reconnectStrategy: false } });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const connected = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
      const subscribers = String(await admin.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub'])).trim().split('\n').filter(Boolean).length;
      // Each instance follows two channels, each on a subscriber connection: the supergraph's and the revocations'.
      expect(subscribers).toBe(6);
      await admin.sendCommand(['CONFIG', 'SET', 'maxclients', String(connected - subscribers)]);
      expect(Number(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']))).toBe(subscribers);
      const published = await publish(a, { sdl });
      expect(published.status, published.text).toBe(200);
      expect(await description(a)).toBe(marker);
      expect(await admin.get(`${prefix}supergraph`)).toContain(marker);
      await sleep(300);
    } finally {
      await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
      await admin.close();
    }
    // The stored supergraph has the change; B and C must not miss it for good.
    expect(await converge([b, c], description, marker), `B and C:\n${b.output()}\n${c.output()}`).toEqual([marker, marker]);
  }, 60_000);

  it('one router SIGTERMed under load: its accepted requests complete, it exits 0, the others serve, no audit event lost', async () => {
    await ensureRedisUp();
    const [a, b, c] = routers;
    const load = startLoad(routers, tokens);
    await load.more(20);
    const signalledAt = Date.now();
    a.child.kill('SIGTERM');
    const exit = await Promise.race([a.exited, sleep(15_000).then(() => 'no exit within 15 s')]);
    const exitedAt = Date.now();
    await load.more(30);
    const outcomes = await load.stop();
    const inFlight = outcomes.filter((o) => o.router === 'A' && o.ok && load.start + o.at <= signalledAt && load.start + o.at + o.ms >= signalledAt);
    console.log(`SIGTERM: ${outcomes.length} requests, ${outcomes.filter((o) => o.router === 'A' && o.ok).length} served by A (${inFlight.length} in flight at the signal), ${outcomes.filter((o) => o.refused).length} refused`);

    expect(exit).toEqual({ code: 0, signal: null });
    // Refused connections once A stopped listening are fine; nothing else is: every request a
    // router accepted is served, A's in flight at the signal included.
    expect(describeOutcomes(outcomes.filter((o) => !o.ok && !o.refused))).toBe('');
    expect(outcomes.filter((o) => o.router !== 'A' && o.ok && load.start + o.at > exitedAt).length).toBeGreaterThanOrEqual(20);
    expect(running().slice(1)).toEqual(allRunning().slice(1));

    // Stop the other two gracefully too: their stop flushes their audit trail.
    b.child.kill('SIGTERM');
    c.child.kill('SIGTERM');
    expect(await Promise.race([Promise.all([b.exited, c.exited]), sleep(15_000).then(() => 'no exit within 15 s')])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    // Every served request's three delegation events are in the stream, A's included: none lost at exit.
    const byTrace = await delegationsByTrace();
    const served = outcomes.filter((o) => o.ok);
    expect(unaudited(served, byTrace)).toEqual([]);
    expect(served.reduce((sum, o) => sum + new Set(byTrace.get(o.traceId)).size, 0)).toBe(3 * served.length);
    expect(served.filter((o) => o.router === 'A').length).toBeGreaterThan(0);
    // Its bounded waits, at most: Redis up 20 s, the load 45 s (A's exit 15 s within it), B's and C's exit 15 s.
  }, 120_000);
});
