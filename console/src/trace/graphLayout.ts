// Where the call graph's boxes, arrows and arrow labels go, without a DOM (so it can be unit
// tested). The graph is a tree drawn left to right in columns. Each arrow leaves its caller's
// right side, runs to a vertical trunk of its own in the gap after the caller's column and
// ends horizontally at the callee's left side. Its label sits just above that last horizontal
// run, between the trunks and the arrowhead: trunks are further right for callers higher up,
// and callees are placed no higher than their caller and below the previous caller's callees,
// so no other arrow passes there, and each label lies in a gap on a row of its own.

/** A rectangle in the SVG's user units (y grows downwards). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A party to draw: a bold title line and smaller detail lines, in a column. */
export interface GraphNodeInput {
  id: string;
  column: number;
  title: string;
  details: string[];
}

export interface GraphEdgeInput {
  from: string;
  to: string;
  label: string;
}

export interface PlacedNode extends Box {
  id: string;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** The polyline, caller to callee; the arrowhead's tip is the last point. */
  points: Point[];
  /** Text anchored at its end (`x`) on the baseline `y`; `box` is where it is expected to ink. */
  label: { text: string; x: number; y: number; box: Box };
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const FONT = { title: 13, detail: 10, label: 10 } as const;
/** The arrowhead, in user units: this long back from the tip, this far either side of the line. */
export const ARROW = { length: 10, halfWidth: 5 } as const;

const PAD = 10;
const NODE_PAD_X = 8;
const MIN_NODE_WIDTH = 110;
const ROW_GAP = 20;
const LINE = 13;
/** Gap after a column: the first trunk this far from the caller, the next ones this much further. */
const TRUNK_START = 12;
const TRUNK_STEP = 8;
/** Clear space between the rightmost trunk and a label, and between a label and the callee. */
const LABEL_PAD = 8;
const ARROW_CLEAR = ARROW.length + 6;
/** A label's baseline this far above its line; its box from ascent to descent (DejaVu Sans's 0.93 and 0.24 em). */
const LABEL_LIFT = 6;
const ASCENT = 0.93;
const DESCENT = 0.24;

const WIDE = /[mwMW@%→…—]/;
const NARROW = /[iljtfrI.,:;'|! ·()[\]]/;
const UPPER = /[A-Z]/;

/**
 * A text's width estimated on the wide side (DejaVu Sans, the widest usual sans-serif, is
 * about 0.58 em per character of these labels): layout needs it before anything is drawn.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const character of text) ems += WIDE.test(character) ? 1 : NARROW.test(character) ? 0.4 : UPPER.test(character) ? 0.8 : 0.66;
  return ems * fontSize * (bold ? 1.12 : 1);
}

/** Places the nodes of a tree (each node called by at most one other) in columns, and routes and labels its arrows. */
export function layoutGraph(nodes: GraphNodeInput[], edges: GraphEdgeInput[]): GraphLayout {
  const detailLines = Math.max(1, ...nodes.map((node) => node.details.length));
  const nodeHeight = 31 + LINE * detailLines;
  const pitch = nodeHeight + ROW_GAP;
  const columns = [...new Set(nodes.map((node) => node.column))].sort((a, b) => a - b);
  const parentOf = new Map(edges.map((edge) => [edge.to, edge.from]));

  // Rows: a callee no higher than its caller and below the callees placed before it.
  const row = new Map<string, number>();
  for (const column of columns) {
    const inColumn = nodes.filter((node) => node.column === column);
    const parentRow = (node: GraphNodeInput) => row.get(parentOf.get(node.id) ?? '') ?? 0;
    const ordered = inColumn.map((node, index) => ({ node, index })).sort((a, b) => parentRow(a.node) - parentRow(b.node) || a.index - b.index);
    let previous = -1;
    for (const { node } of ordered) {
      previous = Math.max(parentRow(node), previous + 1);
      row.set(node.id, previous);
    }
  }

  const columnOf = new Map(nodes.map((node) => [node.id, node.column]));
  const x = new Map<number, number>();
  const width = new Map<number, number>();
  const trunkOf = new Map<string, number>();
  let left = PAD;
  for (const column of columns) {
    const inColumn = nodes.filter((node) => node.column === column);
    const columnWidth = Math.max(MIN_NODE_WIDTH, ...inColumn.map((node) => NODE_PAD_X * 2 + Math.max(textWidth(node.title, FONT.title, true), ...node.details.map((detail) => textWidth(detail, FONT.detail)))));
    x.set(column, left);
    width.set(column, columnWidth);
    const outgoing = edges.filter((edge) => columnOf.get(edge.from) === column);
    const callers = [...new Set(outgoing.map((edge) => edge.from))].sort((a, b) => row.get(a)! - row.get(b)!);
    // Trunks: the caller highest up furthest right, so no trunk crosses another caller's arrows.
    callers.forEach((caller, index) => trunkOf.set(caller, TRUNK_START + (callers.length - 1 - index) * TRUNK_STEP));
    const trunks = callers.length ? TRUNK_START + (callers.length - 1) * TRUNK_STEP : 0;
    const labels = Math.max(0, ...outgoing.map((edge) => textWidth(edge.label, FONT.label)));
    left += columnWidth + (outgoing.length ? Math.max(40, trunks + LABEL_PAD + labels + ARROW_CLEAR) : 0);
  }

  const placed = nodes.map((node): PlacedNode => ({ id: node.id, x: x.get(node.column)!, y: PAD + row.get(node.id)! * pitch, width: width.get(node.column)!, height: nodeHeight }));
  const byId = new Map(placed.map((node) => [node.id, node]));
  const routed = edges.map((edge): PlacedEdge => {
    const from = byId.get(edge.from)!;
    const to = byId.get(edge.to)!;
    const start = { x: from.x + from.width, y: from.y + nodeHeight / 2 };
    const end = { x: to.x, y: to.y + nodeHeight / 2 };
    const trunk = start.x + trunkOf.get(edge.from)!;
    const points = start.y === end.y ? [start, end] : [start, { x: trunk, y: start.y }, { x: trunk, y: end.y }, end];
    const labelWidth = textWidth(edge.label, FONT.label);
    const labelX = end.x - ARROW_CLEAR;
    const baseline = end.y - LABEL_LIFT;
    const box = { x: labelX - labelWidth, y: baseline - ASCENT * FONT.label, width: labelWidth, height: (ASCENT + DESCENT) * FONT.label };
    return { from: edge.from, to: edge.to, points, label: { text: edge.label, x: labelX, y: baseline, box } };
  });
  const rows = Math.max(0, ...row.values()) + 1;
  return { width: left + PAD, height: PAD * 2 + rows * pitch - ROW_GAP, nodes: placed, edges: routed };
}

/** Whether two boxes share any area. */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether the segment from `a` to `b` passes through `box` (Liang–Barsky clipping). */
export function segmentCrossesBox(a: Point, b: Point, box: Box): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let enter = 0;
  let leave = 1;
  const sides: [number, number][] = [
    [-dx, a.x - box.x],
    [dx, box.x + box.width - a.x],
    [-dy, a.y - box.y],
    [dy, box.y + box.height - a.y],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
    if (enter > leave) return false;
  }
  return true;
}

/** The box an arrowhead covers, from the last segment of a polyline (horizontal, as routed here). */
export function arrowheadBox(points: Point[]): Box {
  const tip = points[points.length - 1];
  return { x: tip.x - ARROW.length, y: tip.y - ARROW.halfWidth, width: ARROW.length, height: ARROW.halfWidth * 2 };
}
