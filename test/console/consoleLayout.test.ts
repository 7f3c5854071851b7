import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BENCHMARK_QUERY } from '../helpers/graphql.js';
import { PAGE_WAIT_MS, startConsoleBrowser, type ConsoleAnswer, type ConsoleBrowser } from '../helpers/consoleBrowser.js';

// The web console's layout and words in Debian's Chromium, one page resized from 1024 to 1440 px:
// the page never scrolls sideways, the call graph's arrow labels touch no arrow, the icon is
// served by the router, a failed query draws no trace, and what authorization did reads
// "denied" or "withheld" in every view.

const TEST_MS = 7 * PAGE_WAIT_MS + 2 * 5_000 + 10_000;
const WIDTHS = [1024, 1440] as const;
const DENIAL_QUERY = '{ me { username reviewCount } users { username birthday } }';
/** Lower-case UI words that must not stand for denied or withheld (error codes such as FORBIDDEN stay). */
const OTHER_WORDS = /\b(hidden|filtered|refused|forbidden|Hidden|Filtered|Refused|Forbidden)\b/;
const screenshotAt = (width: number) => resolve(`reports/console-${width}.png`);

type Page = ConsoleBrowser['page'];

/** How wide the page is against its window, after trying to scroll it sideways. */
function pageWidth(page: Page) {
  return page.evaluate(() => {
    window.scrollTo(200, window.scrollY);
    const html = document.documentElement;
    const measured = {
      html: html.scrollWidth,
      body: document.body.scrollWidth,
      clientWidth: html.clientWidth,
      innerWidth: window.innerWidth,
      scrollX: window.scrollX,
      // A page that hides its overflow would pass the rest while cutting content off.
      overflowX: [getComputedStyle(html).overflowX, getComputedStyle(document.body).overflowX],
    };
    window.scrollTo(0, window.scrollY);
    return measured;
  });
}

async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const measured = await pageWidth(page);
  expect(measured.innerWidth).toBe(width);
  expect(measured.html).toBeLessThanOrEqual(measured.clientWidth);
  expect(measured.body).toBeLessThanOrEqual(measured.clientWidth);
  expect(measured.clientWidth).toBeLessThanOrEqual(measured.innerWidth);
  expect(measured.scrollX).toBe(0);
  expect(measured.overflowX).toEqual(['visible', 'visible']);
}

/**
 * What the drawn call graph's labels touch, measured in the browser: each label's rendered box
 * (getBBox, grown by half the stroke and a pixel) against every arrow's segments, every
 * arrowhead, every node box and every other label; and node text that spills out of its box.
 */
function graphProblems(page: Page) {
  return page.evaluate(() => {
    type Box = { x: number; y: number; width: number; height: number };
    type Point = { x: number; y: number };
    const svg = document.querySelector<SVGSVGElement>('#call-graph svg');
    if (!svg) return { edges: 0, labels: 0, nodes: 0, problems: ['no call graph'] };
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    // Walks the segment a–b in quarter-pixel steps: does any point of it fall inside the box?
    // (On purpose not the console's own clipping test, graphLayout.ts: this checks it independently.)
    const crosses = (a: Point, b: Point, box: Box) => {
      const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * 4));
      for (let step = 0; step <= steps; step++) {
        const x = a.x + ((b.x - a.x) * step) / steps;
        const y = a.y + ((b.y - a.y) * step) / steps;
        if (x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height) return true;
      }
      return false;
    };
    const edges = [...svg.querySelectorAll<SVGPolylineElement>('[data-testid=graph-edge]')].map((edge) => ({
      name: `${edge.dataset.from}→${edge.dataset.to}`,
      points: Array.from({ length: edge.points.numberOfItems }, (_, index) => edge.points.getItem(index)).map(({ x, y }) => ({ x, y })),
    }));
    const labels = [...svg.querySelectorAll<SVGTextElement>('[data-testid=graph-edge-label]')].map((label) => {
      const { x, y, width, height } = label.getBBox();
      return { text: label.textContent ?? '', box: { x: x - 1.75, y: y - 1.75, width: width + 3.5, height: height + 3.5 }, ink: { x, y, width, height } };
    });
    const marker = svg.querySelector('marker');
    const arrowLength = Number(marker?.getAttribute('markerWidth'));
    const arrowHalf = Number(marker?.getAttribute('markerHeight')) / 2;
    const nodes = [...svg.querySelectorAll<SVGGElement>('[data-testid=graph-node]')].map((node) => ({
      name: node.dataset.node ?? '',
      box: node.querySelector('rect')!.getBBox(),
      texts: [...node.querySelectorAll('text')].map((text) => ({ text: text.textContent, box: text.getBBox() })),
    }));
    const problems: string[] = [];
    const drawing = { x: 0, y: 0, width: svg.width.baseVal.value, height: svg.height.baseVal.value };
    labels.forEach((label, index) => {
      const name = `label "${label.text}" (${index})`;
      if (label.ink.x < drawing.x || label.ink.x + label.ink.width > drawing.width || label.ink.y < 0 || label.ink.y + label.ink.height > drawing.height) problems.push(`${name} is cut off`);
      for (const edge of edges) {
        edge.points.slice(1).forEach((point, at) => {
          if (crosses(edge.points[at], point, label.box)) problems.push(`${name} touches the arrow ${edge.name}`);
        });
        const tip = edge.points[edge.points.length - 1];
        const previous = edge.points[edge.points.length - 2];
        // The head lies along the last segment, back from the tip.
        const along = Math.sign(tip.x - previous.x) || 0;
        const head = along
          ? { x: along > 0 ? tip.x - arrowLength : tip.x, y: tip.y - arrowHalf, width: arrowLength, height: 2 * arrowHalf }
          : { x: tip.x - arrowHalf, y: tip.y - arrowLength, width: 2 * arrowHalf, height: arrowLength };
        if (overlap(head, label.box)) problems.push(`${name} touches the arrowhead of ${edge.name}`);
      }
      labels.slice(index + 1).forEach((other) => {
        if (overlap(other.ink, label.ink)) problems.push(`${name} overlaps the label "${other.text}"`);
      });
      for (const node of nodes) if (overlap(node.box, label.box)) problems.push(`${name} overlaps the node ${node.name}`);
    });
    for (const node of nodes) {
      for (const text of node.texts) {
        if (text.box.x + text.box.width > node.box.x + node.box.width || text.box.y + text.box.height > node.box.y + node.box.height) problems.push(`"${text.text}" spills out of the node ${node.name}`);
      }
    }
    return { edges: edges.length, labels: labels.length, nodes: nodes.length, problems };
  });
}

/** The numbers on the waterfall's `denied` or `withheld` badges, summed. */
async function waterfallCount(page: Page, mark: 'denied' | 'withheld'): Promise<number> {
  const texts = await page.locator(`[data-testid=waterfall-row] .badge[data-mark=${mark}]`).allTextContents();
  for (const text of texts) expect(text).toMatch(new RegExp(`^\\d+ ${mark}$`));
  return texts.reduce((sum, text) => sum + Number.parseInt(text, 10), 0);
}

/** What the trace's fetches report as denied (deny) or withheld (withhold), summed. */
function traceCount(answer: ConsoleAnswer, decision: 'deny' | 'withhold'): number {
  return answer.extensions!.delegationTrace!.fetches.flatMap((fetch) => fetch.authorization).filter((entry) => entry.decision === decision).reduce((sum, entry) => sum + entry.count, 0);
}

/** The PNG's width and height, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the console’s layout and words in a browser at 1024 and 1440 px', { timeout: TEST_MS }, () => {
  let ui: ConsoleBrowser;
  let page: Page;
  let origin = '';

  beforeAll(async () => {
    ui = await startConsoleBrowser({ viewport: { width: WIDTHS[0], height: 900 } });
    ({ page, origin } = ui);
  }, 60_000);
  afterAll(async () => {
    await ui?.stop();
  });

  it('links an SVG icon that the router serves as an image, which the page may load and draw', async () => {
    await page.goto(`${origin}/`);
    const href = await page.locator('link[rel=icon]').getAttribute('href');
    expect(href).toMatch(/^\/console\/assets\/favicon-[\w-]+\.svg$/);
    const icon = await page.evaluate(async (path) => {
      const response = await fetch(path);
      const image = new Image();
      image.src = path;
      await image.decode();
      return { status: response.status, type: response.headers.get('content-type'), width: image.naturalWidth };
    }, href!);
    expect(icon).toEqual({ status: 200, type: 'image/svg+xml', width: expect.any(Number) });
    expect(icon.width).toBeGreaterThan(0);
  });

  it('logs alice in through the login form', async () => {
    await page.getByTestId('login').click();
    await ui.logInThroughForm('alice');
    await expect.poll(() => ui.text('who')).toBe('Signed in as alice');
  });

  for (const width of WIDTHS) {
    it(`at ${width} px, draws the benchmark query's trace without sideways scrolling, its arrow labels clear of every arrow, and says "withheld" for a withheld field in the field tree, its details and the waterfall`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await ui.setQuery(BENCHMARK_QUERY);
      const answer = await ui.run();
      await expect.poll(() => page.getByTestId('waterfall-row').count()).toBe(16);
      await expectNoSidewaysScroll(page, width);
      const graph = await graphProblems(page);
      expect(graph.problems).toEqual([]);
      // caller → router → the four subgraphs: a tree, one labelled arrow per callee.
      expect(graph.nodes).toBe(6);
      expect(graph.edges).toBe(graph.nodes - 1);
      expect(graph.labels).toBe(graph.edges);

      const withheld = traceCount(answer, 'withhold');
      expect(withheld).toBeGreaterThan(0);
      expect(await waterfallCount(page, 'withheld')).toBe(withheld);
      expect(await page.locator('[data-path="users.@.reviews"] .badge').allTextContents()).toEqual(['withheld']);
      await page.locator('[data-path="users.@.reviews"]').click();
      expect(await page.locator('#field-details h3 .badge').allTextContents()).toEqual(['withheld']);
      expect(await ui.text('withholding')).toMatch(/^\d+ withheld by reviews without an error/);
      expect(await page.getByTestId('decision-withhold').first().textContent()).toMatch(/ withheld ×\d+: /);
      expect(await page.locator('[data-testid=marks-legend] .badge').allTextContents()).toEqual(['denied', 'withheld']);
      expect(await page.locator('#trace-view').innerText()).not.toMatch(OTHER_WORDS);
    });

    it(`at ${width} px, says "denied" for a denied field in the field tree, its details, the waterfall, the call graph and the errors, the broker hop's labels clear too; screenshot`, async () => {
      await ui.setQuery(DENIAL_QUERY);
      const answer = await ui.run();
      await expect.poll(() => page.locator('[data-node="hop:accounts:reviews"]').count()).toBe(1);
      await expectNoSidewaysScroll(page, width);
      const graph = await graphProblems(page);
      expect(graph.problems).toEqual([]);
      expect(graph.edges).toBe(graph.nodes - 1);
      expect(graph.labels).toBe(graph.edges);

      const denied = traceCount(answer, 'deny');
      expect(denied).toBe(8);
      expect(await waterfallCount(page, 'denied')).toBe(denied);
      expect(await page.locator('[data-node="subgraph:accounts"] .detail').allTextContents()).toContain(`${denied} denied`);
      expect(await page.locator('[data-path="users.@.birthday"] .badge').allTextContents()).toEqual(['denied']);
      await page.locator('[data-path="users.@.birthday"]').click();
      expect(await page.locator('#field-details h3 .badge').allTextContents()).toEqual(['denied']);
      expect(await ui.text('denial')).toMatch(/^Denied by accounts, rule: /);
      expect(await page.getByTestId('decision-deny').first().textContent()).toMatch(/ denied ×\d+: /);
      expect(await page.locator('#errors li .badge').allTextContents()).toEqual(['denied']);
      expect(await ui.text('errors')).toMatch(/^FORBIDDEN denied Not allowed to access User\.birthday/);
      expect(await page.locator('#trace-view').innerText()).not.toMatch(OTHER_WORDS);
      expect(await page.locator('#errors').innerText()).not.toMatch(OTHER_WORDS);

      mkdirSync('reports', { recursive: true });
      await page.screenshot({ path: screenshotAt(width), fullPage: true });
      console.log(`console screenshot: ${screenshotAt(width)}`);
      expect(existsSync(screenshotAt(width))).toBe(true);
      // A page that scrolled sideways would make the full-page picture wider than the window.
      expect(pngSize(screenshotAt(width)).width).toBe(width);
    });
  }

  it('shows a query that failed validation with its errors and no trace view, the last trace gone', async () => {
    expect(await page.locator('#trace-view').isVisible()).toBe(true);
    await ui.setQuery('{ nope }');
    const answer = await ui.run();
    expect(answer.data).toBeUndefined();
    await expect.poll(() => ui.text('errors')).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(await page.locator('#trace-view').isHidden()).toBe(true);
    for (const id of ['waterfall', 'call-graph', 'field-tree']) expect(await page.locator(`#${id}`).evaluate((element) => element.childElementCount)).toBe(0);
    expect(await page.getByTestId('waterfall-row').count()).toBe(0);
    await expectNoSidewaysScroll(page, WIDTHS[1]);
  });

  it('made no request to any host but the router and the authorization server, and broke no rule of its policy', () => {
    expect([...ui.requestedOrigins].sort()).toEqual([ui.auth.issuer, origin].sort());
    expect(ui.pageProblems).toEqual([]);
  });
});
