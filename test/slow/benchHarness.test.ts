import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/runScript.js';

// Keeps the benchmark harness from rotting: a tiny run, checked for shape, never for speed.

/** The harness is stopped if still running after this (far above a quick run's length). */
const HARNESS_TIMEOUT_MS = 240_000;

describe('npm run bench (harness)', () => {
  it('runs configurations side by side and writes JSON, markdown and an SVG chart', { timeout: HARNESS_TIMEOUT_MS + 10_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'deputy-bench-'));
    const readme = readFileSync('README.md', 'utf8');
    const result = await runScript('bench/run.ts', ['--quick', '--seconds', '3', '--warmup', '2', '--connections', '4', '--configs', 'floor,deputy-warm,deputy-cold', '--out', out], process.env, HARNESS_TIMEOUT_MS);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      nodes: string[];
      measurements: {
        config: string;
        requests: number;
        exchangesPerRequest: number;
        subgraphRequestsPerRequest: number;
        cpuMsPerRequest: number;
        peakRssMb: number;
        exchangeLatencyMs: { p50: number | null; p99: number | null; count: number } | null;
      }[];
      summary: { config: string; ratios: { floor: { median: number } | null } }[];
    };
    expect(report.nodes).toEqual([process.version]);
    expect(report.measurements.map((m) => m.config)).toEqual(['floor', 'deputy-warm', 'deputy-cold']);
    for (const m of report.measurements) {
      expect(m.requests).toBeGreaterThan(0);
      expect(m.subgraphRequestsPerRequest).toBeGreaterThan(0);
      expect(m.cpuMsPerRequest).toBeGreaterThan(0);
      expect(m.peakRssMb).toBeGreaterThan(0);
    }
    const byConfig = Object.fromEntries(report.measurements.map((m) => [m.config, m]));
    expect(byConfig.floor.exchangesPerRequest).toBe(0);
    expect(byConfig['deputy-warm'].exchangesPerRequest).toBe(0);
    // A new user per request: one exchange per distinct subgraph (4), give or take requests in flight at the edges.
    expect(byConfig['deputy-cold'].exchangesPerRequest).toBeGreaterThan(3);
    // Exchange latency as the router saw it: from Deputy's audit, none on the warm path, not measured at the plain gateway.
    const cold = byConfig['deputy-cold'].exchangeLatencyMs!;
    expect(cold.count).toBeGreaterThan(0);
    expect(cold.p50).toBeGreaterThan(0);
    expect(cold.p99).toBeGreaterThanOrEqual(cold.p50!);
    expect(byConfig['deputy-warm'].exchangeLatencyMs).toEqual({ p50: null, p99: null, count: 0 });
    expect(byConfig.floor.exchangeLatencyMs).toBeNull();
    expect(report.summary.find((s) => s.config === 'deputy-warm')?.ratios.floor?.median).toEqual(expect.any(Number));
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('| Node | configuration | req/s |');
    expect(readFileSync(join(out, 'chart.svg'), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<rect /);
    // README.md's table comes from the committed results only: a run written elsewhere leaves it alone.
    expect(readFileSync('README.md', 'utf8')).toBe(readme);
    rmSync(out, { recursive: true, force: true });
  });
});
