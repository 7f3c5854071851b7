import { describe, expect, it } from 'vitest';
import { arrowheadBox, boxesOverlap, layoutGraph, segmentCrossesBox, textWidth, type Box, type GraphLayout, type Point } from '../../../console/src/trace/graphLayout.js';
import { callGraphOf } from '../../../console/src/trace/callGraphModel.js';
import { fetchOf, hopTo, traceOf } from './traceFixture.js';

/** Half the arrows' stroke (1.5) and a pixel of air: a label this close to a line touches it. */
const CLEARANCE = 0.75 + 1;
const grown = (box: Box, by: number): Box => ({ x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by });
const segmentsOf = (points: Point[]) => points.slice(1).map((point, index) => [points[index], point] as const);

/** Every way a label could touch something else in a laid-out graph, as sentences. */
function collisions(layout: GraphLayout): string[] {
  const found: string[] = [];
  layout.edges.forEach((edge, index) => {
    const box = grown(edge.label.box, CLEARANCE);
    const name = `label "${edge.label.text}" of ${edge.from}→${edge.to}`;
    for (const other of layout.edges) {
      for (const [a, b] of segmentsOf(other.points)) if (segmentCrossesBox(a, b, box)) found.push(`${name} touches the arrow ${other.from}→${other.to}`);
      if (boxesOverlap(arrowheadBox(other.points), box)) found.push(`${name} touches the arrowhead of ${other.from}→${other.to}`);
    }
    for (const other of layout.edges.slice(index + 1)) if (boxesOverlap(other.label.box, edge.label.box)) found.push(`${name} overlaps the label of ${other.from}→${other.to}`);
    for (const node of layout.nodes) if (boxesOverlap(node, box)) found.push(`${name} overlaps the node ${node.id}`);
  });
  return found;
}

/** A trace with `subgraphs` subgraphs, the n-th making `hops[n]` calls through the broker. */
function traceWith(subgraphs: number, hops: number[]) {
  return traceOf(
    Array.from({ length: subgraphs }, (_, index) =>
      fetchOf(index, `subgraph-${index}`, { hops: Array.from({ length: hops[index] ?? 0 }, (_, hop) => hopTo(`target-${index}-${hop}`, { caller: `service-${index}` })) }),
    ),
  );
}

const SHAPES: [number, number[]][] = [
  [1, []],
  [4, []],
  [4, [0, 1]],
  [3, [2, 0, 3]],
  [6, [1, 1, 1, 1, 1, 1]],
  [5, [0, 4, 0, 0, 2]],
  [2, [5, 5]],
];

describe('the call graph layout', () => {
  it.each(SHAPES)('keeps every arrow label clear of every arrow, arrowhead, node and other label (%i subgraphs, hops %j)', (subgraphs, hops) => {
    const { nodes, edges } = callGraphOf(traceWith(subgraphs, hops));
    const layout = layoutGraph(nodes, edges);
    expect(layout.edges).toHaveLength(edges.length);
    expect(collisions(layout)).toEqual([]);
  });

  it('routes each arrow from its caller’s right side to its callee’s left side in horizontal and vertical runs, crossing no other caller’s arrow', () => {
    const { nodes, edges } = callGraphOf(traceWith(5, [0, 4, 0, 0, 2]));
    const layout = layoutGraph(nodes, edges);
    const node = new Map(layout.nodes.map((placed) => [placed.id, placed]));
    for (const edge of layout.edges) {
      const from = node.get(edge.from)!;
      const to = node.get(edge.to)!;
      expect(edge.points[0]).toEqual({ x: from.x + from.width, y: from.y + from.height / 2 });
      expect(edge.points.at(-1)).toEqual({ x: to.x, y: to.y + to.height / 2 });
      for (const [a, b] of segmentsOf(edge.points)) expect(a.x === b.x || a.y === b.y).toBe(true);
      for (const other of layout.edges.filter((candidate) => candidate.from !== edge.from)) {
        for (const [a, b] of segmentsOf(edge.points)) {
          for (const [c, d] of segmentsOf(other.points)) {
            const line: Box = { x: Math.min(c.x, d.x), y: Math.min(c.y, d.y), width: Math.abs(d.x - c.x), height: Math.abs(d.y - c.y) };
            const touchesOnlyAtEnds = [a, b].some((point) => [c, d].some((end) => end.x === point.x && end.y === point.y));
            if (!touchesOnlyAtEnds) expect(segmentCrossesBox(a, b, line), `${edge.from}→${edge.to} crosses ${other.from}→${other.to}`).toBe(false);
          }
        }
      }
    }
  });

  it('places every node inside the drawing, none on another, and each callee no higher than its caller', () => {
    const { nodes, edges } = callGraphOf(traceWith(5, [0, 4, 0, 0, 2]));
    const layout = layoutGraph(nodes, edges);
    for (const [index, placed] of layout.nodes.entries()) {
      expect(placed.x + placed.width).toBeLessThanOrEqual(layout.width);
      expect(placed.y + placed.height).toBeLessThanOrEqual(layout.height);
      for (const other of layout.nodes.slice(index + 1)) expect(boxesOverlap(placed, other), `${placed.id} on ${other.id}`).toBe(false);
    }
    const y = new Map(layout.nodes.map((placed) => [placed.id, placed.y]));
    for (const edge of edges) expect(y.get(edge.to)!).toBeGreaterThanOrEqual(y.get(edge.from)!);
  });

  it('makes each column as wide as its widest text, so a long subject or scope list is not cut', () => {
    const trace = traceOf([fetchOf(0, 'inventory', { scopes: ['inventory:read', 'inventory:write', 'inventory:audit'] })]);
    trace.request.subject = 'a-rather-long-service-account-name';
    const { nodes, edges } = callGraphOf(trace);
    const layout = layoutGraph(nodes, edges);
    const width = (id: string) => layout.nodes.find((node) => node.id === id)!.width;
    expect(width('caller')).toBeGreaterThanOrEqual(textWidth('a-rather-long-service-account-name', 13, true));
    expect(width('subgraph:inventory')).toBeGreaterThanOrEqual(textWidth('inventory:read inventory:write inventory:audit', 10));
  });

  it('finds a segment through a box and misses one beside it', () => {
    const box = { x: 10, y: 10, width: 10, height: 10 };
    expect(segmentCrossesBox({ x: 0, y: 15 }, { x: 30, y: 15 }, box)).toBe(true);
    expect(segmentCrossesBox({ x: 0, y: 0 }, { x: 30, y: 30 }, box)).toBe(true);
    expect(segmentCrossesBox({ x: 15, y: 12 }, { x: 16, y: 13 }, box)).toBe(true);
    expect(segmentCrossesBox({ x: 0, y: 25 }, { x: 30, y: 25 }, box)).toBe(false);
    expect(segmentCrossesBox({ x: 0, y: 15 }, { x: 9, y: 15 }, box)).toBe(false);
    expect(segmentCrossesBox({ x: 0, y: 30 }, { x: 30, y: 21 }, box)).toBe(false);
  });
});
