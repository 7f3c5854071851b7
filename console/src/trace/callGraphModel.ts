import type { DelegationTrace, FetchOutcome } from '../../../router/publishedTypes.js';
import { countsText, markCounts, type Mark } from './words.js';

/** A party of the call chain: a title, detail lines, how its calls ended. */
export interface CallGraphNode {
  id: string;
  column: number;
  title: string;
  details: string[];
  state: FetchOutcome;
}

export interface CallGraphEdge {
  from: string;
  to: string;
  label: string;
}

const outcomeText = (outcome: FetchOutcome, reason?: string) => `fetch ${outcome}${reason ? ` (${reason})` : ''}`;

/**
 * The parties of a trace and who called whom: caller → router → subgraphs → further hops
 * through the broker. A subgraph's last line counts what it denied and withheld, in the
 * console's words; a call that did not end ok says how it ended.
 */
export function callGraphOf(trace: DelegationTrace): { nodes: CallGraphNode[]; edges: CallGraphEdge[] } {
  const nodes: CallGraphNode[] = [
    { id: 'caller', column: 0, title: trace.request.subject, details: [`via ${trace.request.clientId}`], state: 'ok' },
    { id: 'router', column: 1, title: 'router', details: ['a token exchange', 'per subgraph'], state: 'ok' },
  ];
  const edges: CallGraphEdge[] = [{ from: 'caller', to: 'router', label: 'user token' }];
  const seen = new Map<string, CallGraphNode>();
  const marks = new Map<string, Record<Mark, number>>();
  const failures = new Map<string, string>();
  for (const fetch of trace.fetches) {
    const id = `subgraph:${fetch.subgraph}`;
    let node = seen.get(id);
    if (!node) {
      node = { id, column: 2, title: fetch.subgraph, details: [`aud ${fetch.audience ?? '-'}`, fetch.scopes.join(' ') || 'no scope'], state: 'ok' };
      seen.set(id, node);
      nodes.push(node);
      edges.push({ from: 'router', to: id, label: 'exchanged token' });
    }
    if (fetch.outcome !== 'ok') {
      node.state = fetch.outcome;
      failures.set(id, outcomeText(fetch.outcome, fetch.reason));
    }
    const counts = markCounts(fetch.authorization);
    const sum = marks.get(id) ?? { denied: 0, withheld: 0 };
    marks.set(id, { denied: sum.denied + counts.denied, withheld: sum.withheld + counts.withheld });
    for (const hop of fetch.hops ?? []) {
      const target = `hop:${fetch.subgraph}:${hop.target}`;
      if (seen.has(target)) continue;
      const details = [`for ${hop.caller}`, hop.scopes.join(' ') || 'no scope'];
      if (hop.outcome !== 'ok') details.push(outcomeText(hop.outcome, hop.reason));
      const hopNode: CallGraphNode = { id: target, column: 3, title: hop.target, details, state: hop.outcome };
      seen.set(target, hopNode);
      nodes.push(hopNode);
      edges.push({ from: id, to: target, label: 'via broker' });
    }
  }
  for (const edge of edges) {
    // A subgraph none of whose fetches got a token (the exchange was denied or failed).
    if (edge.from === 'router' && !trace.fetches.some((fetch) => `subgraph:${fetch.subgraph}` === edge.to && fetch.token)) edge.label = 'no token';
  }
  for (const node of nodes) {
    const counted = countsText(marks.get(node.id) ?? { denied: 0, withheld: 0 });
    if (counted) node.details.push(counted);
    const failure = failures.get(node.id);
    if (failure) node.details.push(failure);
  }
  return { nodes, edges };
}
