import type { DelegationTrace, FetchTrace } from '../../../router/publishedTypes.js';
import { h, ms } from '../dom.js';
import { countBadges, marksLegend } from './badges.js';
import { markCounts } from './words.js';

const TOKEN_LABEL = { exchange: 'token exchange', coalesced: 'joined an exchange in flight', cache: 'cache hit' } as const;

function bar(kind: string, left: number, width: number, title: string, text = ''): HTMLElement {
  return h('div', { class: `bar ${kind}`, style: `left:${left}%;width:${Math.max(width, 0.4)}%`, title }, text);
}

/** One row: the token wait (exchange, joined, or a cache hit marker) then the HTTP fetch, on the shared time axis. */
function row(fetch: FetchTrace, scale: (value: number) => number): HTMLElement {
  const wait = fetch.token?.waitMs ?? 0;
  const track = h('div', { class: 'track' });
  if (fetch.token) {
    const label = `${TOKEN_LABEL[fetch.token.source]}: ${ms(wait)}`;
    track.append(bar(`token ${fetch.token.source}`, scale(fetch.startMs), scale(wait), label, fetch.token.source === 'cache' ? '●' : ''));
  }
  const outcome = fetch.outcome === 'ok' ? 'ok' : `${fetch.outcome}${fetch.reason ? ` (${fetch.reason})` : ''}`;
  track.append(bar(`fetch ${fetch.outcome}`, scale(fetch.startMs + wait), scale(fetch.fetchMs), `fetch ${fetch.subgraph}: ${ms(fetch.fetchMs)}, ${outcome}`));
  const label = h(
    'div',
    { class: 'label' },
    `#${fetch.id} ${fetch.subgraph}`,
    fetch.token?.source === 'cache' ? h('span', { class: 'badge cache', 'data-testid': 'cache-hit' }, 'cache hit') : undefined,
    ...countBadges(markCounts(fetch.authorization)),
  );
  const timing = `${fetch.token ? `${ms(wait)} + ` : ''}${ms(fetch.fetchMs)}${fetch.outcome === 'ok' ? '' : ` · ${outcome}`}`;
  const rows = [h('div', { class: 'row', 'data-testid': 'waterfall-row', 'data-subgraph': fetch.subgraph, 'data-token': fetch.token?.source ?? 'none' }, label, track, h('div', { class: 'timing' }, timing))];
  for (const hop of fetch.hops ?? []) {
    const hopTrack = h('div', { class: 'track' });
    // A hop records no start time: it is drawn from the start of the fetch that made it.
    const hopStart = fetch.startMs + wait;
    hopTrack.append(bar(`token ${hop.token?.source ?? 'none'}`, scale(hopStart), scale(hop.token?.waitMs ?? 0), `broker token: ${ms(hop.token?.waitMs ?? 0)}`));
    hopTrack.append(bar(`fetch ${hop.outcome}`, scale(hopStart + (hop.token?.waitMs ?? 0)), scale(hop.fetchMs), `${hop.caller} → ${hop.target}: ${ms(hop.fetchMs)}`));
    rows.push(h('div', { class: 'row hop', 'data-testid': 'waterfall-hop' }, h('div', { class: 'label' }, `↳ ${hop.caller} → ${hop.target}`), hopTrack, h('div', { class: 'timing' }, `${ms(hop.token?.waitMs ?? 0)} + ${ms(hop.fetchMs)}${hop.outcome === 'ok' ? '' : ` · ${hop.outcome}`}`)));
  }
  return h('div', {}, ...rows);
}

/** The fetches of a trace on a time axis: token time and fetch time distinguished, cache hits marked. */
export function renderWaterfall(trace: DelegationTrace): HTMLElement {
  const end = Math.max(1, ...trace.fetches.map((fetch) => fetch.startMs + (fetch.token?.waitMs ?? 0) + fetch.fetchMs));
  const scale = (value: number) => (value / end) * 100;
  const ticks = h('div', { class: 'axis' }, ...[0, 0.25, 0.5, 0.75, 1].map((share) => h('span', { style: `left:${share * 100}%` }, ms(end * share))));
  const legend = h(
    'div',
    { class: 'legend' },
    h('span', { class: 'swatch token exchange' }), 'token exchange ',
    h('span', { class: 'swatch token coalesced' }), 'joined exchange ',
    h('span', { class: 'swatch token cache' }), 'cache hit ',
    h('span', { class: 'swatch fetch ok' }), 'subgraph fetch',
  );
  const sorted = [...trace.fetches].sort((a, b) => a.startMs - b.startMs);
  const caption = h('p', { class: 'caption' }, `${trace.request.operationName ?? 'Anonymous operation'} for ${trace.request.subject} · trace id `, h('code', { 'data-testid': 'trace-id' }, trace.traceId));
  return h('div', { class: 'waterfall' }, caption, legend, marksLegend(), h('div', { class: 'row' }, h('div', { class: 'label' }), ticks, h('div', { class: 'timing' }, 'token + fetch')), ...sorted.map((fetch) => row(fetch, scale)));
}
