import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LocalAuthServer } from '../auth-server/startLocalAuthServer.js';
import type { BenchConfig } from './configurations.js';
import type { SubgraphSets } from './subgraphSets.js';
import { spawnReady, type Ready } from './spawnReady.js';
import { cpuMs, peakRssMb } from './procStats.js';
import type { Measurement } from './report.js';
import { benchAuditStore, type BenchAuditStore } from './auditStore.js';
import { exchangeLatenciesInAudit, latencySummary, type Window } from './exchangeLatency.js';

const run = promisify(execFile);

/** Fresh tokens set aside per second of cold load: above what one router serves cold on 2 cores. */
export const COLD_TOKENS_PER_SECOND = 120;

const SCOPES: Record<string, string[]> = {
  accounts: ['accounts:read'],
  products: ['products:read'],
  inventory: ['inventory:read'],
  reviews: ['reviews:read'],
};

export interface RoundOptions {
  node: { version: string; path: string };
  round: number;
  configs: BenchConfig[];
  sets: SubgraphSets;
  auth: LocalAuthServer;
  query: string;
  oneUser: string;
  coldTokens: string[];
  /** Where the next unused cold token is: each is used for one request only. */
  coldCursor: { next: number };
  seconds: number;
  warmup: number;
  connections: number;
}

/** A started gateway; Deputy's has a folder of its own (its config, and its audit file when not in PostgreSQL). */
type Gateway = Ready & { dir?: string };

/** Deputy's audit file, in the gateway's folder. */
const AUDIT_FILE = 'audit.jsonl';

/** Starts one configuration's gateway process on `node` (Deputy's audit in `auditStore` when given, else a file). */
async function startGateway(config: BenchConfig, options: RoundOptions, auditStore?: BenchAuditStore): Promise<Gateway> {
  const urls = options.sets.urls(config.subgraphs);
  const node = options.node.path;
  if (config.gateway.kind === 'hive') {
    const dedup = config.gateway.dedupe ? 'on' : 'off';
    return spawnReady(node, ['--import', 'tsx', 'bench/processes/hiveGateway.ts'], { BENCH_URLS: JSON.stringify(urls), BENCH_HIVE_DEDUP: dedup }, /^ready /);
  }
  if (config.gateway.kind === 'plain') {
    return spawnReady(
      node,
      ['--import', 'tsx', 'bench/processes/plainGateway.ts'],
      {
        BENCH_GATEWAY: config.gateway.mode,
        BENCH_URLS: JSON.stringify(urls),
        BENCH_TOKEN_ENDPOINT: `${options.auth.issuer}/token`,
        BENCH_CLIENT_SECRET: options.auth.secret('deputy-router'),
      },
      /^ready /,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'deputy-bench-'));
  const config_ = {
    listen: { port: 0 },
    supergraph: { watch: false },
    auth: { issuer: options.auth.issuer },
    exchange: { clientSecret: '${BENCH_SECRET}' },
    trace: { policy: 'always' },
    // Fetch deduplication is on by default; deputy-warm-nodedup turns it off.
    traffic: { deduplicateFetches: config.gateway.dedupe ?? true },
    audit: auditStore?.config ?? { sink: 'file', file: join(dir, AUDIT_FILE) },
    subgraphs: Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { url, scopes: SCOPES[name] }])),
  };
  writeFileSync(join(dir, 'router.yaml'), JSON.stringify(config_));
  try {
    // DEPUTY_BENCH_CPU_PROF=<folder>: the router writes a V8 CPU profile there when it stops (bench/README.md "Profile").
    const profile = process.env.DEPUTY_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DEPUTY_BENCH_CPU_PROF}`] : [];
    const ready = await spawnReady(node, [...profile, '--import', 'tsx', 'router/cli.ts', '--config', join(dir, 'router.yaml')], { BENCH_SECRET: options.auth.secret('deputy-router') }, /router listening on /);
    return { ...ready, dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The latencies of Deputy's exchanges in the measured window, from its audit (read once it stopped and flushed). */
async function exchangeLatencies(gateway: Gateway, window: Window, auditStore?: BenchAuditStore): Promise<number[]> {
  if (auditStore) return auditStore.exchangeLatencies(window);
  return exchangeLatenciesInAudit(readFileSync(join(gateway.dir!, AUDIT_FILE), 'utf8'), window);
}

/** Runs autocannon in its own process (always on this machine's Node) and returns its summary. */
async function load(url: string, seconds: number, options: RoundOptions, config: BenchConfig, tokens: string[]) {
  const job = { url, seconds, connections: options.connections, body: JSON.stringify({ query: options.query }), tokens, headers: config.headers };
  // The job (with up to thousands of tokens) goes through a file: too big for argv.
  const dir = mkdtempSync(join(tmpdir(), 'deputy-load-'));
  const file = join(dir, 'job.json');
  writeFileSync(file, JSON.stringify(job), { mode: 0o600 });
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/processes/load.ts', file], { maxBuffer: 64 * 1024 * 1024 }));
  } finally {
    // The job holds user tokens: it does not outlive the run.
    rmSync(dir, { recursive: true, force: true });
  }
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { requests: number; rps: number; p50: number; p90: number; p97_5: number; p99: number; non2xx: number; errors: number; timeouts: number };
}

const EXPECTED = JSON.stringify(JSON.parse(readFileSync('test/fixtures/expected-response.json', 'utf8')).data);

/** A configuration is measured only if it answers the benchmark query correctly (speed of errors is no speed). */
async function checkAnswer(url: string, config: BenchConfig, options: RoundOptions): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...config.headers };
  if (config.callers !== 'none') headers.authorization = `Bearer ${options.oneUser}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: options.query }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (body.errors || JSON.stringify(body.data) !== EXPECTED) {
    throw new Error(`${config.label} does not answer the benchmark query correctly: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

/** One round: every configuration in turn (a correctness check, a warm-up, then the measured run). */
export async function runRound(options: RoundOptions): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const config of options.configs) {
    const auditStore = config.gateway.kind === 'deputy' && config.gateway.audit === 'postgres' ? benchAuditStore() : undefined;
    const gateway = await startGateway(config, options, auditStore);
    try {
      const url = /(http:\/\/\S+\/graphql)/.exec(gateway.line)![1];
      const tokensFor = (count: number) => {
        if (config.callers === 'none') return [];
        if (config.callers === 'one') return [options.oneUser];
        const slice = options.coldTokens.slice(options.coldCursor.next, options.coldCursor.next + count);
        options.coldCursor.next += slice.length;
        // Out of fresh tokens, reused ones hit the cache: exchanges/request in the report shows it.
        return slice.length > 0 ? slice : options.coldTokens;
      };
      await checkAnswer(url, config, options);
      await load(url, options.warmup, options, config, tokensFor(options.warmup * COLD_TOKENS_PER_SECOND));
      const pid = gateway.child.pid!;
      const before = { cpu: cpuMs(pid), exchanges: options.auth.exchanges(), served: await options.sets.served(config.subgraphs), auditRows: await auditStore?.rows() };
      const window: Window = { from: Date.now(), to: 0 };
      const measured = await load(url, options.seconds, options, config, tokensFor(options.seconds * COLD_TOKENS_PER_SECOND));
      window.to = Date.now();
      const requests = Math.max(1, measured.requests);
      results.push({
        config: config.id,
        label: config.label,
        node: options.node.version,
        round: options.round,
        rps: measured.rps,
        p50: measured.p50,
        p90: measured.p90,
        p97_5: measured.p97_5,
        p99: measured.p99,
        requests: measured.requests,
        failed: measured.non2xx + measured.errors + measured.timeouts,
        exchangesPerRequest: (options.auth.exchanges() - before.exchanges) / requests,
        subgraphRequestsPerRequest: ((await options.sets.served(config.subgraphs)) - before.served) / requests,
        cpuMsPerRequest: (cpuMs(pid) - before.cpu) / requests,
        peakRssMb: peakRssMb(pid),
        // Measured at Deputy only: the plain gateways and the peer report no exchange latency.
        exchangeLatencyMs: null,
      });
      const measurement = results.at(-1)!;
      if (config.gateway.kind === 'deputy') {
        // Stopping flushes the audit sink: every event of the measured window is written by then.
        await gateway.stop();
        measurement.exchangeLatencyMs = latencySummary(await exchangeLatencies(gateway, window, auditStore));
        if (auditStore) measurement.auditRowsPerRequest = ((await auditStore.rows()) - (before.auditRows ?? 0)) / requests;
      }
      const exchangeLatency = measurement.exchangeLatencyMs?.count ? `, exchange p50 ${measurement.exchangeLatencyMs.p50} ms p99 ${measurement.exchangeLatencyMs.p99} ms` : '';
      const auditRows = auditStore ? `, ${measurement.auditRowsPerRequest!.toFixed(1)} audit rows/request` : '';
      console.log(`  ${config.label}: ${measured.rps} req/s, p97.5 ${measured.p97_5} ms${exchangeLatency}${auditRows}`);
    } finally {
      await gateway.stop();
      await auditStore?.drop();
      if (gateway.dir) rmSync(gateway.dir, { recursive: true, force: true });
    }
  }
  return results;
}
