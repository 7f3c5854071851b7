import { describe, expect, it } from 'vitest';
import { exchangeLatenciesInAudit, latencySummary, percentile } from '../../../bench/exchangeLatency.js';
import { summarize, type Measurement } from '../../../bench/report.js';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('the exchange latency percentiles', () => {
  it('take the nearest rank: the smallest value with at least p% of the values at or below it', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
    // Ten values: p99 is the largest, p50 the fifth.
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 99)).toBe(10);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 50)).toBe(5);
    expect(percentile([42], 99)).toBe(42);
  });

  it('leave the values as they were and refuse no values or a percentile outside 0–100', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('summarize a run as p50 and p99 in ms to two decimals, and a run without exchanges as none', () => {
    expect(latencySummary(oneToHundred.map((v) => v + 0.123))).toEqual({ p50: 50.12, p99: 99.12, count: 100 });
    expect(latencySummary([])).toEqual({ p50: null, p99: null, count: 0 });
  });
});

describe("the router's exchanges in the measured window", () => {
  const at = (iso: string) => Date.parse(iso);
  const line = (event: string, time: string, latencyMs: number) => JSON.stringify({ level: 30, time, event, result: 'ok', latencyMs });
  const audit = [
    line('token.exchange', '2026-11-26T10:00:00.999Z', 1),
    line('token.exchange', '2026-11-26T10:00:01.000Z', 12.5),
    line('delegation', '2026-11-26T10:00:01.500Z', 0.02),
    line('request', '2026-11-26T10:00:01.600Z', 80),
    line('token.exchange', '2026-11-26T10:00:02.000Z', 30.25),
    line('token.exchange', '2026-11-26T10:00:02.001Z', 99),
    '',
  ].join('\n');

  it('are the latencyMs of token.exchange events timed within it, bounds included, and nothing else', () => {
    expect(exchangeLatenciesInAudit(audit, { from: at('2026-11-26T10:00:01.000Z'), to: at('2026-11-26T10:00:02.000Z') })).toEqual([12.5, 30.25]);
  });

  it('are none when the router made no exchange then (a warm cache)', () => {
    expect(exchangeLatenciesInAudit(audit, { from: at('2026-11-26T10:00:01.001Z'), to: at('2026-11-26T10:00:01.999Z') })).toEqual([]);
  });
});

describe('the exchange latency over rounds', () => {
  const measurement = (round: number, config: string, exchangeLatencyMs: Measurement['exchangeLatencyMs']): Measurement => ({
    config,
    label: config,
    node: 'v20.0.0',
    round,
    rps: 100,
    p50: 1,
    p90: 1,
    p97_5: 1,
    p99: 1,
    requests: 1000,
    failed: 0,
    exchangesPerRequest: 0,
    subgraphRequestsPerRequest: 16,
    cpuMsPerRequest: 10,
    peakRssMb: 300,
    ...(exchangeLatencyMs === undefined ? {} : { exchangeLatencyMs }),
  });
  const latencyOf = (measurements: Measurement[]) => summarize(measurements, [])[0].exchangeLatencyMs;

  it("is the median of the rounds' p50s and p99s, with every round's exchanges counted", () => {
    const rounds = [
      { p50: 10, p99: 40, count: 400 },
      { p50: 12, p99: 60, count: 410 },
      { p50: 11, p99: 50, count: 390 },
    ].map((latency, i) => measurement(i + 1, 'deputy-cold', latency));
    expect(latencyOf(rounds)).toEqual({ p50: 11, p99: 50, count: 1200 });
  });

  it('leaves out rounds without exchanges, is none without any, and not measured unless every round measured it', () => {
    expect(latencyOf([measurement(1, 'deputy-warm', { p50: null, p99: null, count: 0 }), measurement(2, 'deputy-warm', { p50: 3, p99: 4, count: 4 })])).toEqual({ p50: 3, p99: 4, count: 4 });
    expect(latencyOf([measurement(1, 'deputy-warm', { p50: null, p99: null, count: 0 })])).toEqual({ p50: null, p99: null, count: 0 });
    expect(latencyOf([measurement(1, 'floor', null)])).toBeNull();
    expect(latencyOf([measurement(1, 'deputy-cold', undefined), measurement(2, 'deputy-cold', { p50: 3, p99: 4, count: 4 })])).toBeNull();
  });
});
