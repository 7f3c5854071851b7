import type { DelegationTrace } from '../../../router/publishedTypes.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 190;
const NODE_H = 44;
const COLUMN = 290;
const ROW = 64;

interface GraphNode {
  id: string;
  column: number;
  title: string;
  detail: string;
  state: string;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The parties of a trace and who called whom: caller → router → subgraphs → further hops through the broker. */
export function callGraphOf(trace: DelegationTrace): { nodes: GraphNode[]; edges: { from: string; to: string; label: string }[] } {
  const nodes: GraphNode[] = [
    { id: 'caller', column: 0, title: trace.request.subject, detail: `via ${trace.request.clientId}`, state: 'ok' },
    { id: 'router', column: 1, title: 'router', detail: 'token exchange per subgraph', state: 'ok' },
  ];
  const edges = [{ from: 'caller', to: 'router', label: 'user token' }];
  const seen = new Map<string, GraphNode>();
  for (const fetch of trace.fetches) {
    const id = `subgraph:${fetch.subgraph}`;
    const known = seen.get(id);
    if (known) {
      if (fetch.outcome !== 'ok') known.state = fetch.outcome;
    } else {
      const node = { id, column: 2, title: fetch.subgraph, detail: `aud ${fetch.audience ?? '-'} · ${fetch.scopes.join(' ') || 'no scope'}`, state: fetch.outcome };
      seen.set(id, node);
      nodes.push(node);
      edges.push({ from: 'router', to: id, label: 'exchanged token' });
    }
    for (const hop of fetch.hops ?? []) {
      const target = `hop:${fetch.subgraph}:${hop.target}`;
      if (!seen.has(target)) {
        const node = { id: target, column: 3, title: hop.target, detail: `for ${hop.caller} · ${hop.scopes.join(' ') || 'no scope'}`, state: hop.outcome };
        seen.set(target, node);
        nodes.push(node);
        edges.push({ from: id, to: target, label: 'via broker' });
      }
    }
  }
  return { nodes, edges };
}

/** Draws the call chain as an SVG graph. */
export function renderCallGraph(trace: DelegationTrace): SVGSVGElement {
  const { nodes, edges } = callGraphOf(trace);
  const perColumn = new Map<number, number>();
  const position = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const index = perColumn.get(node.column) ?? 0;
    perColumn.set(node.column, index + 1);
    position.set(node.id, { x: 10 + node.column * COLUMN, y: 10 + index * ROW });
  }
  const height = 20 + Math.max(...perColumn.values()) * ROW;
  const root = svg('svg', { width: 10 + 4 * COLUMN, height, viewBox: `0 0 ${10 + 4 * COLUMN} ${height}`, role: 'img', 'aria-label': 'call chain' });
  const arrow = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  arrow.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  const defs = svg('defs', {});
  defs.append(arrow);
  root.append(defs);
  for (const edge of edges) {
    const from = position.get(edge.from)!;
    const to = position.get(edge.to)!;
    root.append(svg('line', { x1: from.x + NODE_W, y1: from.y + NODE_H / 2, x2: to.x, y2: to.y + NODE_H / 2, class: 'edge', 'marker-end': 'url(#arrow)' }));
    // Labels sit at the arrow's end, where a fan of edges has spread apart.
    root.append(svg('text', { x: to.x - 6, y: to.y + NODE_H / 2 - 4, class: 'edge-label', 'text-anchor': 'end' }, edge.label));
  }
  for (const node of nodes) {
    const { x, y } = position.get(node.id)!;
    const group = svg('g', { class: `node ${node.state}`, 'data-testid': 'graph-node', 'data-node': node.id });
    group.append(svg('rect', { x, y, width: NODE_W, height: NODE_H, rx: 6 }));
    group.append(svg('text', { x: x + 8, y: y + 18, class: 'title' }, node.title));
    group.append(svg('text', { x: x + 8, y: y + 34, class: 'detail' }, node.detail.slice(0, 34)));
    root.append(group);
  }
  return root;
}
