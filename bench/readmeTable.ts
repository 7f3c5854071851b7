import { nodesOf, RESULTS_FILE, type BenchResults } from './benchResults.js';
import { CONFIGURATIONS } from './configurations.js';
import { goalLines } from './goalLines.js';
import { latencyCell, summarize, type Summary } from './report.js';

// README.md's benchmark table, generated from bench/results/results.json (`npm run bench` when it
// writes there, `npm run bench:readme` from the committed file), so that no figure is copied by
// hand; a unit test fails when the README differs from what this writes.

const START = `<!-- bench-table:start (generated from ${RESULTS_FILE} by npm run bench and npm run bench:readme; do not edit) -->`;
const END = '<!-- bench-table:end -->';

/** The ratios the table and the goal lines read: to the floor, to the peer, and (the trace's cost) to warm Deputy. */
const BASELINES = ['floor', 'peer', 'peer-dedup', 'deputy-warm'];

const nodeVersion = (node: string) => node.replace(/^v/, '');
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A req/s ratio cell: the median over rounds, with the min–max when there were several; `1×` against itself. */
function ratioCell(s: Summary, baseline: string): string {
  if (s.config === baseline) return '1×';
  const r = s.ratios[baseline];
  if (!r) return 'n/a';
  return s.rounds > 1 ? `${r.median}× (${r.min}–${r.max})` : `${r.median}×`;
}

/** The line above the table: when, where, on which Node versions, how long. */
function measuredLine(results: BenchResults): string {
  const { rounds, seconds, warmup, connections } = results.settings;
  const commit = results.commit ? ` at commit ${results.commit}` : '';
  return (
    `Measured ${results.date}${commit} on ${results.machine}, Node ${list(nodesOf(results).map(nodeVersion))}: ` +
    `${plural(rounds, 'round', 'rounds')} of ${seconds} s per configuration and Node version after a ${warmup} s warm-up, ` +
    `${connections} connections, configurations interleaved.`
  );
}

/** The configurations `npm run bench` has that these results lack (added since, or left out with --configs). */
function notMeasured(summary: Summary[]): string | undefined {
  const missing = CONFIGURATIONS.filter((c) => !summary.some((s) => s.config === c.id));
  return missing.length > 0 ? `Not in these results (added since, or left out with \`--configs\`): ${list(missing.map((c) => `${c.label} (\`${c.id}\`)`))}.` : undefined;
}

/** The rows: configurations in the order measured, each with one row per Node version. */
function rows(summary: Summary[]): string[] {
  const configs = [...new Set(summary.map((s) => s.config))];
  return configs.flatMap((config) =>
    summary
      .filter((s) => s.config === config)
      .map(
        (s) =>
          `| ${s.label} | ${nodeVersion(s.node)} | ${s.rps} | ${ratioCell(s, 'floor')} | ${ratioCell(s, 'peer')} | ${s.exchangesPerRequest} | ${s.subgraphRequestsPerRequest} | ${s.cpuMsPerRequest} | ${latencyCell(s.exchangeLatencyMs)} |`,
      ),
  );
}

/** What sits between the markers: the measured line, the table, and the results against the goals. */
export function benchTable(results: BenchResults): string {
  const summary = summarize(results.measurements, BASELINES);
  const goals = goalLines(summary);
  const missing = notMeasured(summary);
  return [
    measuredLine(results),
    '',
    '| configuration | Node | req/s | vs floor | vs peer | exchanges/req | subgraph req/req | gateway CPU ms/req | exchange p50 / p99 ms |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows(summary),
    ...(missing ? ['', missing] : []),
    ...(goals.length > 0 ? ['', 'Against the goals (reported, not asserted):', '', ...goals] : []),
  ].join('\n');
}

/** `readme` with the benchmark table between its markers regenerated from `results`. */
export function withBenchTable(readme: string, results: BenchResults): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has lost its benchmark table markers: ${START} ... ${END}`);
  return `${readme.slice(0, start + START.length)}\n${benchTable(results)}\n${readme.slice(end)}`;
}
