import { h } from '../dom.js';
import type { HistoryEntry } from './queryHistory.js';

/** An entry's name: its operation's name, else the query's start on one line. */
function labelOf(entry: HistoryEntry): string {
  const named = /^\s*(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(entry.query);
  if (named) return `${named[1]} ${named[2]}`;
  const flat = entry.query.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** The history as a list, newest first; clicking an entry hands it to `onRestore`. */
export function renderHistory(entries: HistoryEntry[], onRestore: (entry: HistoryEntry) => void): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'caption' }, 'Queries you run appear here.');
  const items = entries.map((entry) => {
    const button = h(
      'button',
      { class: 'history-entry', 'data-testid': 'history-entry', title: entry.variables === '{}' ? entry.query : `${entry.query}\nvariables: ${entry.variables}` },
      h('code', {}, labelOf(entry)),
      entry.variables === '{}' ? '' : h('span', { class: 'caption' }, ' with variables'),
      h('span', { class: 'caption' }, ` ${new Date(entry.at).toLocaleTimeString()}`),
    );
    button.addEventListener('click', () => onRestore(entry));
    return h('li', {}, button);
  });
  return h('ul', { class: 'history' }, ...items);
}
