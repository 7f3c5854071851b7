import type { DelegationTrace } from '../../../router/publishedTypes.js';
import { callGraphOf } from './callGraphModel.js';
import { ARROW, FONT, layoutGraph } from './graphLayout.js';
import { MEANING, MARKS } from './words.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A detail line; one that counts denied or withheld items says what the words mean on hover. */
function detailLine(x: number, y: number, text: string): SVGElement {
  const line = svg('text', { x, y, class: 'detail' }, text);
  const meant = MARKS.filter((mark) => text.includes(` ${mark}`));
  if (!meant.length) return line;
  line.classList.add('marks');
  const group = svg('g', {});
  group.append(svg('title', {}, meant.map((mark) => `${mark}: ${MEANING[mark]}`).join('\n')), line);
  return group;
}

/** Draws the call chain as an SVG graph, its arrow labels clear of every arrow (graphLayout.ts). */
export function renderCallGraph(trace: DelegationTrace): SVGSVGElement {
  const { nodes, edges } = callGraphOf(trace);
  const layout = layoutGraph(nodes, edges);
  const root = svg('svg', { width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'img', 'aria-label': 'call chain' });
  const arrow = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: ARROW.length, markerHeight: ARROW.halfWidth * 2, orient: 'auto' });
  arrow.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  const defs = svg('defs', {});
  defs.append(arrow);
  root.append(defs);
  for (const edge of layout.edges) {
    const points = edge.points.map((point) => `${point.x},${point.y}`).join(' ');
    root.append(svg('polyline', { points, class: 'edge', 'marker-end': 'url(#arrow)', 'data-testid': 'graph-edge', 'data-from': edge.from, 'data-to': edge.to }));
    root.append(svg('text', { x: edge.label.x, y: edge.label.y, class: 'edge-label', 'text-anchor': 'end', 'font-size': FONT.label, 'data-testid': 'graph-edge-label' }, edge.label.text));
  }
  const placed = new Map(layout.nodes.map((node) => [node.id, node]));
  for (const node of nodes) {
    const { x, y, width, height } = placed.get(node.id)!;
    const group = svg('g', { class: `node ${node.state}`, 'data-testid': 'graph-node', 'data-node': node.id });
    group.append(svg('rect', { x, y, width, height, rx: 6 }));
    group.append(svg('text', { x: x + 8, y: y + 18, class: 'title', 'font-size': FONT.title }, node.title));
    node.details.forEach((detail, index) => group.append(detailLine(x + 8, y + 32 + 13 * index, detail)));
    root.append(group);
  }
  return root;
}
