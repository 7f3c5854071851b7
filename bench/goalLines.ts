import type { Summary } from './report.js';

// The sentences under README.md's benchmark table that hold the results against the issue's
// goals; generated with the table, so no figure in them is copied by hand.

/** The goals (reported, not asserted): req/s ratios to the floor, and what the trace may cost. */
export const GOALS = { warmVsFloor: '1.0×', coldVsFloor: '0.75×', traceCostAtMost: '20%' };

type Ratio = Summary['ratios'][string];

const nodeName = (node: string) => `Node ${node.replace(/^v/, '')}`;
const ratioText = (r: NonNullable<Ratio>, rounds: number) => (rounds > 1 ? `${r.median}× (${r.min}–${r.max})` : `${r.median}×`);
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** "a on Node 20, b on Node 24" for one configuration, each Node's phrase from `text` (skipped when it has none). */
function perNode(summary: Summary[], config: string, text: (s: Summary) => string | undefined): string | undefined {
  const parts = summary.filter((s) => s.config === config).flatMap((s) => {
    const phrase = text(s);
    return phrase === undefined ? [] : [`${phrase} on ${nodeName(s.node)}`];
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
}

const ratioTo = (baseline: string) => (s: Summary) => (s.ratios[baseline] ? ratioText(s.ratios[baseline], s.rounds) : undefined);

/** The trace's cost: 1 − its req/s over warm Deputy's in the same round (median, and the range over rounds). */
function traceCost(s: Summary): string | undefined {
  const r = s.ratios['deputy-warm'];
  if (!r) return undefined;
  return s.rounds > 1 ? `${percent(1 - r.median)} (${percent(1 - r.max)}–${percent(1 - r.min)})` : percent(1 - r.median);
}

/** One Markdown list item per goal whose configurations were measured (`summary` has ratios to floor, peer and deputy-warm). */
export function goalLines(summary: Summary[]): string[] {
  const warm = perNode(summary, 'deputy-warm', ratioTo('floor'));
  const cold = perNode(summary, 'deputy-cold', ratioTo('floor'));
  const coldExchanges = perNode(summary, 'deputy-cold', (s) => `${s.exchangesPerRequest}`);
  const trace = perNode(summary, 'deputy-trace', traceCost);
  const peer = perNode(summary, 'deputy-warm', ratioTo('peer'));
  return [
    warm && `- Deputy with one user (warm) against the floor: ${warm}; goal ${GOALS.warmVsFloor}.`,
    cold && `- Deputy with a new user per request (cold) against the floor: ${cold}; goal ${GOALS.coldVsFloor}.`,
    coldExchanges &&
      `- Cold, exchanges per request: ${coldExchanges}; one per distinct subgraph (the query reaches 4) is the goal, requests in flight at the edges of the measured window add a little.`,
    trace && `- The trace costs, in req/s against warm Deputy in the same round: ${trace}; goal at most ${GOALS.traceCostAtMost}.`,
    peer && `- Warm Deputy, delegation on, against the peer (Hive Gateway, no auth, upstream deduplication off): ${peer}.`,
  ].filter((line): line is string => Boolean(line));
}
