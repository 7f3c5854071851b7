import { describe, expect, it } from 'vitest';
import { addToHistory, clearHistory, HISTORY_KEY, HISTORY_LIMIT, readHistory, type KeyValueStore } from '../../../console/src/history/queryHistory.js';

// The console's query history in localStorage: newest first, one entry per query and variables,
// at most HISTORY_LIMIT, and nothing but what was run.

function memoryStore(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

describe('the query history', () => {
  it('lists runs newest first', () => {
    const store = memoryStore();
    addToHistory(store, { query: '{ me { username } }', variables: '{}' }, 1);
    addToHistory(store, { query: '{ users { username } }', variables: '' }, 2);
    expect(readHistory(store)).toEqual([
      { query: '{ users { username } }', variables: '{}', at: 2 },
      { query: '{ me { username } }', variables: '{}', at: 1 },
    ]);
  });

  it('moves the same query with the same variables to the top instead of keeping it twice; other variables are another entry', () => {
    const store = memoryStore();
    addToHistory(store, { query: 'query A { me { id } }', variables: '{}' }, 1);
    addToHistory(store, { query: 'query B { users { id } }', variables: '{}' }, 2);
    addToHistory(store, { query: 'query A { me { id } }\n', variables: ' {} ' }, 3);
    addToHistory(store, { query: 'query A { me { id } }', variables: '{ "x": 1 }' }, 4);
    expect(readHistory(store).map((entry) => [entry.query, entry.variables, entry.at])).toEqual([
      ['query A { me { id } }', '{ "x": 1 }', 4],
      ['query A { me { id } }', '{}', 3],
      ['query B { users { id } }', '{}', 2],
    ]);
  });

  it(`keeps the newest ${HISTORY_LIMIT} runs`, () => {
    const store = memoryStore();
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) addToHistory(store, { query: `{ q${i} }`, variables: '{}' }, i);
    const entries = readHistory(store);
    expect(entries).toHaveLength(HISTORY_LIMIT);
    expect(entries[0].query).toBe(`{ q${HISTORY_LIMIT + 4} }`);
    expect(entries.at(-1)!.query).toBe('{ q5 }');
  });

  it('stores only queries, variables and times, and skips an empty query', () => {
    const store = memoryStore();
    addToHistory(store, { query: '   ', variables: '{}' }, 1);
    expect(store.items.size).toBe(0);
    addToHistory(store, { query: '{ me { id } }', variables: '{}', ...({ headers: '{"authorization":"Bearer t0ken"}' } as object) }, 1);
    expect(store.items.get(HISTORY_KEY)).toBe(JSON.stringify([{ query: '{ me { id } }', variables: '{}', at: 1 }]));
  });

  it('reads an unreadable or foreign value as no history, and forgets everything when cleared', () => {
    const store = memoryStore();
    store.setItem(HISTORY_KEY, '{not json');
    expect(readHistory(store)).toEqual([]);
    store.setItem(HISTORY_KEY, JSON.stringify([{ query: 1 }, { query: '{ a }', variables: '{}', at: 5 }]));
    expect(readHistory(store)).toEqual([{ query: '{ a }', variables: '{}', at: 5 }]);
    clearHistory(store);
    expect(store.items.has(HISTORY_KEY)).toBe(false);
  });
});
