// `npm run bench [-- --quick] [--node24] [--rounds N] [--seconds S] [--connections C] [--configs a,b]`
// Measures what delegation costs, side by side in one run: every configuration in CONFIGURATIONS
// against the same subgraphs, interleaved round by round, on this Node (and Node 24 with --node24).
// Written to --out (bench/results by default); README.md's table is regenerated when it goes there.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalAuthServer } from '../auth-server/startLocalAuthServer.js';
import { CONFIGURATIONS, type BenchConfig } from './configurations.js';
import { nodeBinaries } from './nodeBinaries.js';
import { COLD_TOKENS_PER_SECOND, runRound } from './runRound.js';
import { startSubgraphSets, type SubgraphSets } from './subgraphSets.js';
import { mintTokens, userToken } from './mintTokens.js';
import { markdown, summarize, svgChart, type Measurement } from './report.js';
import { RESULTS_DIR, type BenchResults } from './benchResults.js';
import { measuredCommit } from './measuredCommit.js';
import { withBenchTable } from './readmeTable.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    node24: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    configs: { type: 'string' },
    out: { type: 'string', default: RESULTS_DIR },
  },
});

const quick = values.quick;
const settings = {
  rounds: Number(values.rounds ?? (quick ? 1 : 3)),
  seconds: Number(values.seconds ?? (quick ? 3 : 10)),
  warmup: Number(values.warmup ?? (quick ? 1 : 3)),
  connections: Number(values.connections ?? 16),
};
const selected: BenchConfig[] = values.configs ? CONFIGURATIONS.filter((c) => values.configs!.split(',').includes(c.id)) : CONFIGURATIONS;
const unknownConfigs = (values.configs?.split(',') ?? []).filter((id) => !CONFIGURATIONS.some((c) => c.id === id));
if (unknownConfigs.length > 0) {
  console.error(`bench: unknown configuration ${unknownConfigs.join(', ')}; choose among ${CONFIGURATIONS.map((c) => c.id).join(', ')}`);
  process.exit(2);
}
const query = readFileSync('test/fixtures/query.graphql', 'utf8');

// The authorization server runs in this process (it is not what is measured); it is
// started with run-time secrets and keys, and a rate limit that cannot throttle the load.
const auth = await startLocalAuthServer({ rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } });
let sets: SubgraphSets | undefined;
const measurements: Measurement[] = [];
const nodes: string[] = [];
try {
  const binaries = nodeBinaries(values.node24);
  nodes.push(...binaries.map((node) => node.version));
  // A distinct token per request for the cold case, minted through the real login flow.
  const coldRuns = settings.rounds * binaries.length;
  const coldTokens = selected.some((c) => c.callers === 'each') ? await mintTokens(auth, coldRuns * (settings.seconds + settings.warmup) * COLD_TOKENS_PER_SECOND) : [];
  const coldCursor = { next: 0 };
  const oneUser = await userToken(auth, 'alice');
  for (const node of binaries) {
    sets = await startSubgraphSets(node.path, auth.issuer);
    for (let round = 1; round <= settings.rounds; round++) {
      console.log(`node ${node.version}, round ${round}/${settings.rounds}`);
      measurements.push(...(await runRound({ node, round, configs: selected, sets, auth, query, oneUser, coldTokens, coldCursor, ...settings })));
    }
    await sets.stop();
    sets = undefined;
  }
} finally {
  await sets?.stop();
  await auth.stop();
}

const summary = summarize(measurements, ['floor', 'forwarding', 'peer']);
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
const results: BenchResults = { date, machine, nodes, commit: measuredCommit(), settings, measurements, summary };
mkdirSync(values.out, { recursive: true });
writeFileSync(`${values.out}/results.json`, JSON.stringify(results, null, 2));
writeFileSync(`${values.out}/results.md`, markdown(summary, { date, machine, seconds: settings.seconds, connections: settings.connections }));
writeFileSync(`${values.out}/chart.svg`, svgChart(summary));
console.log(markdown(summary, { date, machine, seconds: settings.seconds, connections: settings.connections }));
// README.md's table is generated from the committed results only: a run elsewhere (a test's, a trial's) leaves it alone.
const toCommitted = resolve(values.out) === resolve(RESULTS_DIR);
if (toCommitted) writeFileSync('README.md', withBenchTable(readFileSync('README.md', 'utf8'), results));
console.log(`written: ${values.out}/results.json, results.md, chart.svg${toCommitted ? "; README.md's benchmark table" : ''}`);
