import type { DelegationTrace, FetchTrace, TokenObtained } from '../../../router/publishedTypes.js';
import { h, ms } from '../dom.js';
import { countBadges, marksLegend } from './badges.js';
import { markCounts } from './words.js';

const TOKEN_LABEL: Record<TokenObtained, string> = {
  prefetched: 'token exchange, started with the plan',
  exchanged: 'token exchange, started by this fetch',
  joined: 'joined an exchange in flight',
  cache: 'cache hit',
};
/** The bar's colour class: an exchange of this request's own, a joined one, or the cache. */
const TOKEN_CLASS: Record<TokenObtained, string> = { prefetched: 'exchange', exchanged: 'exchange', joined: 'coalesced', cache: 'cache' };

function bar(kind: string, left: number, width: number, title: string, text = ''): HTMLElement {
  return h('div', { class: `bar ${kind}`, style: `left:${left}%;width:${Math.max(width, 0.4)}%`, title }, text);
}

/** A token request is drawn once, on the row of the first fetch it served (the fetches of one subgraph share it). */
function tokenRequestKey(fetch: FetchTrace): string | undefined {
  const token = fetch.token;
  return token?.requestStartMs === undefined ? undefined : `${fetch.subgraph} ${token.requestStartMs} ${token.requestEndMs}`;
}

/**
 * One row: the token request where it ran (from its start to its end, often before the fetch
 * began: the plan's prefetch), or a cache hit marker; the fetch's own wait for its token; then
 * the HTTP fetch from when it was sent.
 */
function row(fetch: FetchTrace, scale: (value: number) => number, drawnRequests: Set<string>): HTMLElement {
  const track = h('div', { class: 'track' });
  const token = fetch.token;
  const key = tokenRequestKey(fetch);
  if (token && key !== undefined && !drawnRequests.has(key)) {
    drawnRequests.add(key);
    const span = token.requestEndMs! - token.requestStartMs!;
    track.append(bar(`token ${TOKEN_CLASS[token.obtained]}`, scale(token.requestStartMs!), scale(span), `${TOKEN_LABEL[token.obtained]}: ${ms(span)}`));
  }
  if (token?.obtained === 'cache') track.append(bar('token cache', scale(fetch.startMs), 0, TOKEN_LABEL.cache, '●'));
  // The fetch asks for its token as it starts: what it waited shows from its start.
  if (token && token.waitMs > 0) track.append(bar('wait', scale(fetch.startMs), scale(token.waitMs), `waited for its token: ${ms(token.waitMs)}`));
  const sent = fetch.sentMs ?? fetch.startMs;
  const outcome = fetch.outcome === 'ok' ? 'ok' : `${fetch.outcome}${fetch.reason ? ` (${fetch.reason})` : ''}`;
  track.append(bar(`fetch ${fetch.outcome}`, scale(sent), scale(fetch.fetchMs), `fetch ${fetch.subgraph}: ${ms(fetch.fetchMs)}, ${outcome}`));
  const label = h(
    'div',
    { class: 'label' },
    `#${fetch.id} ${fetch.subgraph}`,
    token?.obtained === 'cache' ? h('span', { class: 'badge cache', 'data-testid': 'cache-hit' }, 'cache hit') : undefined,
    ...countBadges(markCounts(fetch.authorization)),
  );
  const timing = `${token ? `${ms(token.waitMs)} + ` : ''}${ms(fetch.fetchMs)}${fetch.outcome === 'ok' ? '' : ` · ${outcome}`}`;
  const attributes = { class: 'row', 'data-testid': 'waterfall-row', 'data-fetch': String(fetch.id), 'data-subgraph': fetch.subgraph, 'data-token': token?.source ?? 'none', 'data-obtained': token?.obtained ?? 'none' };
  const rows = [h('div', attributes, label, track, h('div', { class: 'timing' }, timing))];
  for (const hop of fetch.hops ?? []) {
    const hopTrack = h('div', { class: 'track' });
    // A hop records no start time: it is drawn from when the fetch that made it was sent.
    const hopWait = hop.token?.waitMs ?? 0;
    hopTrack.append(bar(`token ${hop.token?.source ?? 'none'}`, scale(sent), scale(hopWait), `broker token: ${ms(hopWait)}`));
    hopTrack.append(bar(`fetch ${hop.outcome}`, scale(sent + hopWait), scale(hop.fetchMs), `${hop.caller} → ${hop.target}: ${ms(hop.fetchMs)}`));
    rows.push(h('div', { class: 'row hop', 'data-testid': 'waterfall-hop' }, h('div', { class: 'label' }, `↳ ${hop.caller} → ${hop.target}`), hopTrack, h('div', { class: 'timing' }, `${ms(hopWait)} + ${ms(hop.fetchMs)}${hop.outcome === 'ok' ? '' : ` · ${hop.outcome}`}`)));
  }
  return h('div', {}, ...rows);
}

/** The fetches of a trace on a time axis from the request's start to its response: token requests where they ran, waits, fetches, cache hits marked. */
export function renderWaterfall(trace: DelegationTrace): HTMLElement {
  const end = trace.durationMs > 0 ? trace.durationMs : 1;
  const scale = (value: number) => (value / end) * 100;
  const ticks = h('div', { class: 'axis', 'data-testid': 'waterfall-axis' }, ...[0, 0.25, 0.5, 0.75, 1].map((share) => h('span', { style: `left:${share * 100}%`, 'data-ms': String(end * share) }, ms(end * share))));
  const legend = h(
    'div',
    { class: 'legend' },
    h('span', { class: 'swatch token exchange' }), 'token exchange ',
    h('span', { class: 'swatch token coalesced' }), 'joined exchange ',
    h('span', { class: 'swatch token cache' }), 'cache hit ',
    h('span', { class: 'swatch wait' }), 'waiting for the token ',
    h('span', { class: 'swatch fetch ok' }), 'subgraph fetch',
  );
  const sorted = [...trace.fetches].sort((a, b) => a.startMs - b.startMs);
  const caption = h('p', { class: 'caption' }, `${trace.request.operationName ?? 'Anonymous operation'} for ${trace.request.subject} · trace id `, h('code', { 'data-testid': 'trace-id' }, trace.traceId));
  const drawnRequests = new Set<string>();
  return h('div', { class: 'waterfall' }, caption, legend, marksLegend(), h('div', { class: 'row' }, h('div', { class: 'label' }), ticks, h('div', { class: 'timing' }, 'wait + fetch')), ...sorted.map((fetch) => row(fetch, scale, drawnRequests)));
}
