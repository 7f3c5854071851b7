import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readResults, RESULTS_FILE, type BenchResults } from '../../../bench/benchResults.js';
import { benchTable, withBenchTable } from '../../../bench/readmeTable.js';
import type { Measurement } from '../../../bench/report.js';

const START = '<!-- bench-table:start (generated from bench/results/results.json by npm run bench and npm run bench:readme; do not edit) -->';
const END = '<!-- bench-table:end -->';

/** One measurement, with what a test does not care about filled in. */
function measured(config: string, node: string, round: number, rps: number, extra: Partial<Measurement> = {}): Measurement {
  return { config, label: `label of ${config}`, node, round, rps, p50: 1, p90: 1, p97_5: 1, p99: 1, requests: rps * 10, failed: 0, exchangesPerRequest: 0, subgraphRequestsPerRequest: 16, cpuMsPerRequest: 10, peakRssMb: 300, ...extra };
}

/** Two rounds on two Node versions of the floor, warm and cold Deputy, the trace and the peer. */
function results(overrides: Partial<BenchResults> = {}): BenchResults {
  const measurements = ['v20.1.0', 'v24.2.0'].flatMap((node) =>
    [1, 2].flatMap((round) => [
      measured('floor', node, round, 100, { exchangeLatencyMs: null }),
      measured('deputy-warm', node, round, round === 1 ? 90 : 95, { exchangeLatencyMs: { p50: null, p99: null, count: 0 } }),
      measured('deputy-warm-nodedup', node, round, 84, { cpuMsPerRequest: 10.5 }),
      measured('deputy-cold', node, round, 60, { exchangesPerRequest: 4.08, cpuMsPerRequest: 14.75, exchangeLatencyMs: { p50: round === 1 ? 12.5 : 13, p99: round === 1 ? 40 : 48.25, count: 2400 } }),
      measured('deputy-trace', node, round, 72),
      measured('peer', node, round, 80, { subgraphRequestsPerRequest: 7.12 }),
      measured('peer-dedup', node, round, 100, { subgraphRequestsPerRequest: 0.7, cpuMsPerRequest: 9 }),
    ]),
  );
  return { date: '2026-12-01', machine: '2 cores (Test CPU), 8 GiB', settings: { rounds: 2, seconds: 10, warmup: 3, connections: 16 }, measurements, summary: [], ...overrides };
}

const rowOf = (table: string, label: string, node: string) => table.split('\n').find((line) => line.startsWith(`| ${label} | ${node} |`));

describe("README.md's benchmark table", () => {
  it(`is what npm run bench:readme writes from the committed ${RESULTS_FILE}`, () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme, `README.md's benchmark table is out of date with ${RESULTS_FILE}: run \`npm run bench:readme\` and commit the result`).toBe(withBenchTable(readme, readResults()));
  });

  it('states the date, machine, commit, Node versions, rounds, seconds, warm-up and connections of the run', () => {
    const firstLine = benchTable(results({ nodes: ['v20.1.0', 'v24.2.0'], commit: 'abc1234' })).split('\n')[0];
    expect(firstLine).toBe(
      'Measured 2026-12-01 at commit abc1234 on 2 cores (Test CPU), 8 GiB, Node 20.1.0 and 24.2.0: 2 rounds of 10 s per configuration and Node version after a 3 s warm-up, 16 connections, configurations interleaved.',
    );
  });

  it('reads the Node versions off the measurements in results from before they were recorded, and says one round', () => {
    const single = results({ settings: { rounds: 1, seconds: 3, warmup: 1, connections: 4 } });
    single.measurements = single.measurements.filter((m) => m.round === 1);
    expect(benchTable(single).split('\n')[0]).toBe('Measured 2026-12-01 on 2 cores (Test CPU), 8 GiB, Node 20.1.0 and 24.2.0: 1 round of 3 s per configuration and Node version after a 1 s warm-up, 4 connections, configurations interleaved.');
    // One round: the ratio alone, no min–max.
    expect(rowOf(benchTable(single), 'label of deputy-warm', '20.1.0')).toBe('| label of deputy-warm | 20.1.0 | 90 | 0.9× | 1.13× | 0 | 16 | 10 | none |');
  });

  it('has a row per configuration and Node version: median req/s, ratios with their min–max, exchanges, subgraph requests, CPU and exchange latency', () => {
    const table = benchTable(results());
    expect(table).toContain('| configuration | Node | req/s | vs floor | vs peer | exchanges/req | subgraph req/req | gateway CPU ms/req | exchange p50 / p99 ms |');
    const rows = table.split('\n').filter((line) => line.startsWith('| label of'));
    expect(rows.map((row) => row.split(' | ').slice(0, 2).join(' | '))).toEqual(
      ['floor', 'deputy-warm', 'deputy-warm-nodedup', 'deputy-cold', 'deputy-trace', 'peer', 'peer-dedup'].flatMap((config) => [`| label of ${config} | 20.1.0`, `| label of ${config} | 24.2.0`]),
    );
    expect(rowOf(table, 'label of floor', '20.1.0')).toBe('| label of floor | 20.1.0 | 100 | 1× | 1.25× (1.25–1.25) | 0 | 16 | 10 | n/a |');
    // Two rounds: the median is the lower of the two (as in results.md), the range both.
    expect(rowOf(table, 'label of deputy-warm', '24.2.0')).toBe('| label of deputy-warm | 24.2.0 | 90 | 0.9× (0.9–0.95) | 1.13× (1.13–1.19) | 0 | 16 | 10 | none |');
    expect(rowOf(table, 'label of deputy-cold', '20.1.0')).toBe('| label of deputy-cold | 20.1.0 | 60 | 0.6× (0.6–0.6) | 0.75× (0.75–0.75) | 4.08 | 16 | 14.75 | 12.5 / 40 |');
    expect(rowOf(table, 'label of peer', '24.2.0')).toBe('| label of peer | 24.2.0 | 80 | 0.8× (0.8–0.8) | 1× | 0 | 7.12 | 10 | n/a |');
  });

  it('shows n/a for the exchange latency of results recorded before it was measured, and n/a for a missing baseline', () => {
    const table = benchTable(results({ measurements: results().measurements.map(({ exchangeLatencyMs: _, ...m }) => m).filter((m) => m.config !== 'peer') }));
    expect(rowOf(table, 'label of deputy-cold', '20.1.0')).toBe('| label of deputy-cold | 20.1.0 | 60 | 0.6× (0.6–0.6) | n/a | 4.08 | 16 | 14.75 | n/a |');
  });

  it('names the configurations npm run bench has that the results lack', () => {
    expect(benchTable(results())).toMatch(/^Not in these results \(added since, or left out with `--configs`\): 2 forwarding the user token \(`forwarding`\), 3 naive exchange per fetch \(`naive`\) and .*\(`deputy-audit-pg`\)\.$/m);
  });

  it('states the results against the goals from the same figures, and leaves out a goal whose configuration was not measured', () => {
    const goals = benchTable(results()).split('Against the goals (reported, not asserted):\n\n')[1].split('\n');
    expect(goals).toEqual([
      '- Deputy with one user (warm, fetch deduplication on, the default) against the floor: 0.9× (0.9–0.95) on Node 20.1.0, 0.9× (0.9–0.95) on Node 24.2.0; goal 1.0×.',
      '- The same with fetch deduplication off, against the floor: 0.84× (0.84–0.84) on Node 20.1.0, 0.84× (0.84–0.84) on Node 24.2.0.',
      '- Deputy with a new user per request (cold) against the floor: 0.6× (0.6–0.6) on Node 20.1.0, 0.6× (0.6–0.6) on Node 24.2.0; goal 0.8×.',
      '- Cold, exchanges per request: 4.08 on Node 20.1.0, 4.08 on Node 24.2.0; one per distinct subgraph (the query reaches 4) is the goal, requests in flight at the edges of the measured window add a little.',
      // 72 against 90 and 95: 0.8 and 0.76, the median the lower of two.
      '- Trace on against trace off (warm Deputy) in the same round: 0.76× (0.76–0.8) on Node 20.1.0, 0.76× (0.76–0.8) on Node 24.2.0; goal 0.9×.',
      '- Warm Deputy with deduplication against Hive Gateway with its defaults (upstream deduplication on): 0.9× (0.9–0.95) on Node 20.1.0, 0.9× (0.9–0.95) on Node 24.2.0; goal 1.0×.',
      "- Router CPU per request, warm: 10 ms (0% against 10 ms) on Node 20.1.0, 10 ms (0% against 10 ms) on Node 24.2.0; goal within 5% of the floor's.",
      '- Router CPU per request, warm, fetch deduplication off (the same subgraph requests as the floor): 10.5 ms (+5% against 10 ms) on Node 20.1.0, 10.5 ms (+5% against 10 ms) on Node 24.2.0.',
      '- Warm Deputy without deduplication against the peer (Hive Gateway, no auth, upstream deduplication off): 1.05× (1.05–1.05) on Node 20.1.0, 1.05× (1.05–1.05) on Node 24.2.0.',
    ]);
    const withoutTrace = benchTable(results({ measurements: results().measurements.filter((m) => m.config !== 'deputy-trace') }));
    expect(withoutTrace).not.toContain('Trace on against trace off');
  });

  it('replaces only what is between its markers, and refuses a README that lost them', () => {
    const readme = `# Title\n\nbefore\n\n${START}\nstale\n${END}\n\nafter\n`;
    const written = withBenchTable(readme, results());
    expect(written).toBe(`# Title\n\nbefore\n\n${START}\n${benchTable(results())}\n${END}\n\nafter\n`);
    expect(withBenchTable(written, results())).toBe(written);
    expect(() => withBenchTable('# no markers\n', results())).toThrow(/lost its benchmark table markers/);
  });
});
