import type { Summary } from './report.js';

// The sentences under README.md's benchmark table that hold the results against the issue's
// goals; generated with the table, so no figure in them is copied by hand.

/** The goals (reported, not asserted): req/s ratios, and the router's CPU per request against the floor's. */
export const GOALS = { warmVsFloor: '1.0×', coldVsFloor: '0.8×', traceVsWarm: '0.9×', warmVsPeerDefaults: '1.0×', cpuOverFloorAtMost: '5%' };

type Ratio = Summary['ratios'][string];

const nodeName = (node: string) => `Node ${node.replace(/^v/, '')}`;
const ratioText = (r: NonNullable<Ratio>, rounds: number) => (rounds > 1 ? `${r.median}× (${r.min}–${r.max})` : `${r.median}×`);

/** "a on Node 20, b on Node 24" for one configuration, each Node's phrase from `text` (skipped when it has none). */
function perNode(summary: Summary[], config: string, text: (s: Summary) => string | undefined): string | undefined {
  const parts = summary.filter((s) => s.config === config).flatMap((s) => {
    const phrase = text(s);
    return phrase === undefined ? [] : [`${phrase} on ${nodeName(s.node)}`];
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
}

const ratioTo = (baseline: string) => (s: Summary) => (s.ratios[baseline] ? ratioText(s.ratios[baseline], s.rounds) : undefined);

/** The router's CPU ms per request against the floor's on the same Node (medians over rounds), as a signed percentage. */
const cpuAgainstFloor = (summary: Summary[]) => (s: Summary) => {
  const floor = summary.find((other) => other.config === 'floor' && other.node === s.node);
  if (!floor || !(floor.cpuMsPerRequest > 0)) return undefined;
  const change = Math.round((s.cpuMsPerRequest / floor.cpuMsPerRequest - 1) * 100);
  return `${s.cpuMsPerRequest} ms (${change > 0 ? '+' : ''}${change}% against ${floor.cpuMsPerRequest} ms)`;
};

/** One Markdown list item per goal whose configurations were measured (`summary` has ratios to floor, peer, peer-dedup and deputy-warm). */
export function goalLines(summary: Summary[]): string[] {
  const warm = perNode(summary, 'deputy-warm', ratioTo('floor'));
  const warmAlone = perNode(summary, 'deputy-warm-nodedup', ratioTo('floor'));
  const cold = perNode(summary, 'deputy-cold', ratioTo('floor'));
  const coldExchanges = perNode(summary, 'deputy-cold', (s) => `${s.exchangesPerRequest}`);
  const trace = perNode(summary, 'deputy-trace', ratioTo('deputy-warm'));
  const againstHive = perNode(summary, 'deputy-warm', ratioTo('peer-dedup'));
  const cpu = perNode(summary, 'deputy-warm', cpuAgainstFloor(summary));
  const cpuAlone = perNode(summary, 'deputy-warm-nodedup', cpuAgainstFloor(summary));
  const peer = perNode(summary, 'deputy-warm-nodedup', ratioTo('peer'));
  return [
    warm && `- Deputy with one user (warm, fetch deduplication on, the default) against the floor: ${warm}; goal ${GOALS.warmVsFloor}.`,
    warmAlone && `- The same with fetch deduplication off, against the floor: ${warmAlone}.`,
    cold && `- Deputy with a new user per request (cold) against the floor: ${cold}; goal ${GOALS.coldVsFloor}.`,
    coldExchanges &&
      `- Cold, exchanges per request: ${coldExchanges}; one per distinct subgraph (the query reaches 4) is the goal, requests in flight at the edges of the measured window add a little.`,
    trace && `- Trace on against trace off (warm Deputy) in the same round: ${trace}; goal ${GOALS.traceVsWarm}.`,
    againstHive && `- Warm Deputy with deduplication against Hive Gateway with its defaults (upstream deduplication on): ${againstHive}; goal ${GOALS.warmVsPeerDefaults}.`,
    cpu && `- Router CPU per request, warm: ${cpu}; goal within ${GOALS.cpuOverFloorAtMost} of the floor's.`,
    cpuAlone && `- Router CPU per request, warm, fetch deduplication off (the same subgraph requests as the floor): ${cpuAlone}.`,
    peer && `- Warm Deputy without deduplication against the peer (Hive Gateway, no auth, upstream deduplication off): ${peer}.`,
  ].filter((line): line is string => Boolean(line));
}
