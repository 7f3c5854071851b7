// The queries run from this browser, newest first, in localStorage: they outlive the tab and the
// session (unlike the token, which stays in sessionStorage and is never written here).

/** One query that was run. */
export interface HistoryEntry {
  query: string;
  variables: string;
  /** When it was last run, ms since the epoch. */
  at: number;
}

/** The part of Web Storage the history uses (localStorage in the page). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const HISTORY_KEY = 'deputy.history';
/** Kept entries; the oldest beyond this are dropped. */
export const HISTORY_LIMIT = 50;

const isEntry = (value: unknown): value is HistoryEntry =>
  typeof value === 'object' && value !== null && typeof (value as HistoryEntry).query === 'string' && typeof (value as HistoryEntry).variables === 'string' && typeof (value as HistoryEntry).at === 'number';

/** The stored entries, newest first; anything unreadable counts as none. */
export function readHistory(store: KeyValueStore): HistoryEntry[] {
  try {
    const stored = JSON.parse(store.getItem(HISTORY_KEY) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter(isEntry).slice(0, HISTORY_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Variables as compared and kept: `{}` and an empty editor are the same run. */
const normalVariables = (variables: string) => (variables.trim() === '' || variables.trim() === '{}' ? '{}' : variables.trim());

/**
 * Records a run at the top. The same query with the same variables again moves up instead of
 * appearing twice (whitespace at either end aside); beyond HISTORY_LIMIT the oldest go.
 */
export function addToHistory(store: KeyValueStore, run: { query: string; variables: string }, at = Date.now()): HistoryEntry[] {
  const entry: HistoryEntry = { query: run.query.trim(), variables: normalVariables(run.variables), at };
  if (!entry.query) return readHistory(store);
  const rest = readHistory(store).filter((old) => old.query !== entry.query || old.variables !== entry.variables);
  const entries = [entry, ...rest].slice(0, HISTORY_LIMIT);
  try {
    store.setItem(HISTORY_KEY, JSON.stringify(entries));
  } catch {
    // Storage full or refused (private mode): the history is a convenience, the run goes on.
  }
  return entries;
}

/** Forgets every entry. */
export function clearHistory(store: KeyValueStore): void {
  store.removeItem(HISTORY_KEY);
}
