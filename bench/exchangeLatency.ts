// The exchange latency the router saw in one measured run: every `token.exchange` audit event
// written in the run's window carries `latencyMs`, the same duration the router observes into
// deputy_exchange_duration_seconds, but exact, where /metrics only has that histogram's buckets
// (1, 2.5, 5, 10, 25, 50, 100 ms...). Percentiles are taken over those exact values.

/** Exchange latency in one run, ms: p50 and p99 (null when the router made no exchange in the window) over `count` exchanges. */
export interface ExchangeLatency {
  p50: number | null;
  p99: number | null;
  count: number;
}

/** The measured window: epoch ms, from just before the load started to just after it ended. */
export interface Window {
  from: number;
  to: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The nearest-rank percentile (`p` in 0–100) of `values`: the smallest value with at least p% of the values at or below it. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not within 0–100`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** p50 and p99 of the latencies of one run's exchanges, ms, two decimals. */
export function latencySummary(latencies: number[]): ExchangeLatency {
  if (latencies.length === 0) return { p50: null, p99: null, count: 0 };
  return { p50: round2(percentile(latencies, 50)), p99: round2(percentile(latencies, 99)), count: latencies.length };
}

/** The `latencyMs` of the `token.exchange` events in an audit file's JSON lines whose `time` falls in `window`. */
export function exchangeLatenciesInAudit(jsonLines: string, window: Window): number[] {
  const latencies: number[] = [];
  for (const line of jsonLines.split('\n')) {
    // Most lines are request and delegation events: only exchanges are parsed.
    if (!line.includes('"token.exchange"')) continue;
    const event = JSON.parse(line) as { event?: string; time?: string; latencyMs?: unknown };
    const time = Date.parse(event.time ?? '');
    if (event.event === 'token.exchange' && typeof event.latencyMs === 'number' && time >= window.from && time <= window.to) latencies.push(event.latencyMs);
  }
  return latencies;
}
