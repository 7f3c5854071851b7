import { h } from '../dom.js';
import { MARKS, MEANING, type Mark } from './words.js';

/** A mark as a badge (`denied`, or `8 denied` with a count), its meaning on hover. */
export function badge(mark: Mark, count?: number): HTMLElement {
  return h('span', { class: `badge ${mark}`, 'data-mark': mark, title: MEANING[mark] }, count === undefined ? mark : `${count} ${mark}`);
}

/** One badge per non-zero count, in the order of MARKS. */
export function countBadges(counts: Record<Mark, number>): HTMLElement[] {
  return MARKS.filter((mark) => counts[mark] > 0).map((mark) => badge(mark, counts[mark]));
}

/** The two words and what they mean, for a legend. */
export function marksLegend(): HTMLElement {
  return h('div', { class: 'legend marks', 'data-testid': 'marks-legend' }, ...MARKS.flatMap((mark) => [badge(mark), h('span', {}, ` ${MEANING[mark]}`)]));
}
