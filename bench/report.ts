import type { ExchangeLatency } from './exchangeLatency.js';

/** One configuration's measurements in one round. */
export interface Measurement {
  config: string;
  label: string;
  node: string;
  round: number;
  rps: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  requests: number;
  failed: number;
  exchangesPerRequest: number;
  subgraphRequestsPerRequest: number;
  cpuMsPerRequest: number;
  peakRssMb: number;
  /** The postgres-sink configuration: audit rows written per request (counted once the router stopped and flushed). */
  auditRowsPerRequest?: number;
  /** Deputy's RFC 8693 exchanges in the measured run, from its audit; null at a gateway that does not report them, absent in results from before it was measured. */
  exchangeLatencyMs?: ExchangeLatency | null;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)];
};
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Exchange latency over rounds: the median of the p50s and of the p99s of the rounds with exchanges, and every round's exchanges counted; null unless every round measured it. */
function latencyOverRounds(group: Measurement[]): ExchangeLatency | null {
  const rounds = group.map((m) => m.exchangeLatencyMs);
  if (!rounds.every((latency) => latency)) return null;
  const measured = rounds as ExchangeLatency[];
  const count = measured.reduce((sum, latency) => sum + latency.count, 0);
  const p50s = measured.flatMap((latency) => (latency.p50 === null ? [] : [latency.p50]));
  const p99s = measured.flatMap((latency) => (latency.p99 === null ? [] : [latency.p99]));
  return p50s.length === 0 ? { p50: null, p99: null, count } : { p50: round2(median(p50s)), p99: round2(median(p99s)), count };
}

/** Per configuration and Node: medians over rounds, and the req/s ratio to a baseline with its min–max spread over rounds. */
export function summarize(measurements: Measurement[], baselines: string[]) {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) groups.set(`${m.node}|${m.config}`, [...(groups.get(`${m.node}|${m.config}`) ?? []), m]);
  return [...groups.values()].map((group) => {
    const { node, config, label } = group[0];
    const ratios = Object.fromEntries(
      baselines.map((baseline) => {
        const base = measurements.filter((m) => m.node === node && m.config === baseline);
        const perRound = group.flatMap((m) => base.filter((b) => b.round === m.round && b.rps > 0).map((b) => m.rps / b.rps));
        return [baseline, perRound.length ? { median: round2(median(perRound)), min: round2(Math.min(...perRound)), max: round2(Math.max(...perRound)) } : null];
      }),
    );
    const pick = (key: keyof Measurement) => round2(median(group.map((m) => Number(m[key]))));
    return {
      node,
      config,
      label,
      rounds: group.length,
      rps: pick('rps'),
      p50: pick('p50'),
      p90: pick('p90'),
      p97_5: pick('p97_5'),
      p99: pick('p99'),
      failed: group.reduce((sum, m) => sum + m.failed, 0),
      exchangesPerRequest: pick('exchangesPerRequest'),
      subgraphRequestsPerRequest: pick('subgraphRequestsPerRequest'),
      cpuMsPerRequest: pick('cpuMsPerRequest'),
      peakRssMb: Math.max(...group.map((m) => m.peakRssMb)),
      exchangeLatencyMs: latencyOverRounds(group),
      ratios,
    };
  });
}

export type Summary = ReturnType<typeof summarize>[number];

/** An exchange latency cell: `p50 / p99` ms, `none` without an exchange in the measured window, `n/a` where not measured. */
export function latencyCell(latency: ExchangeLatency | null | undefined): string {
  if (!latency) return 'n/a';
  return latency.p50 === null || latency.p99 === null ? 'none' : `${latency.p50} / ${latency.p99}`;
}

/** The results as a markdown table. */
export function markdown(summary: Summary[], meta: { date: string; machine: string; seconds: number; connections: number }): string {
  const ratio = (r: Summary['ratios'][string]) => (r ? `${r.median}× (${r.min}–${r.max})` : 'n/a');
  const lines = [
    `# Deputy benchmark, ${meta.date}`,
    '',
    `Machine: ${meta.machine}. Workload: the public gateway benchmark's TestQuery (16 subgraph fetches), ${meta.connections} connections, ${meta.seconds} s per configuration per round after a warm-up, configurations interleaved. Latency in ms; autocannon reports p90 and p97.5 (no p95). Ratios are req/s against the baseline in the same round (median, min–max over rounds). Exchange p50 / p99: the latency of Deputy's RFC 8693 exchanges in the measured run, from its audit events (none: no exchange in the run; n/a: not measured).`,
    '',
    '| Node | configuration | req/s | p50 | p97.5 | p99 | exchanges/req | subgraph req/req | CPU ms/req | peak RSS MB | failed | vs floor | vs forwarding | vs peer | exchange p50 / p99 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...summary.map(
      (s) =>
        `| ${s.node} | ${s.label} | ${s.rps} | ${s.p50} | ${s.p97_5} | ${s.p99} | ${s.exchangesPerRequest} | ${s.subgraphRequestsPerRequest} | ${s.cpuMsPerRequest} | ${s.peakRssMb} | ${s.failed} | ${ratio(s.ratios.floor)} | ${ratio(s.ratios.forwarding)} | ${ratio(s.ratios.peer)} | ${latencyCell(s.exchangeLatencyMs)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** An SVG bar chart: req/s and p97.5 per configuration (one group of bars per Node version). */
export function svgChart(summary: Summary[]): string {
  const width = 900;
  const rowHeight = 22;
  const left = 330;
  const maxRps = Math.max(1, ...summary.map((s) => s.rps));
  const maxP = Math.max(1, ...summary.map((s) => s.p97_5));
  const half = (width - left - 20) / 2;
  const rows = summary.map((s, i) => {
    const y = 40 + i * rowHeight;
    const rpsWidth = (s.rps / maxRps) * (half - 10);
    const pWidth = (s.p97_5 / maxP) * (half - 10);
    const text = (x: number, value: string, anchor = 'start') => `<text x="${x}" y="${y + 14}" font-size="11" text-anchor="${anchor}">${value}</text>`;
    return [
      text(left - 6, `${s.label} (node ${s.node})`.replace(/&/g, '&amp;').replace(/</g, '&lt;'), 'end'),
      `<rect x="${left}" y="${y + 3}" width="${rpsWidth.toFixed(1)}" height="14" fill="#3b82f6"/>`,
      text(left + rpsWidth + 4, `${s.rps}`),
      `<rect x="${left + half}" y="${y + 3}" width="${pWidth.toFixed(1)}" height="14" fill="#f59e0b"/>`,
      text(left + half + pWidth + 4, `${s.p97_5} ms`),
    ].join('');
  });
  const height = 60 + summary.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="${left}" y="24" font-size="13" font-weight="bold">requests/s (higher is better)</text>
<text x="${left + half}" y="24" font-size="13" font-weight="bold">p97.5 latency (lower is better)</text>
${rows.join('\n')}
</svg>
`;
}
