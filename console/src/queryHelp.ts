import type { Editor } from './editors.js';
import type { DocsPane } from './docs/docsPane.js';
import { fetchApiSchema } from './docs/fetchApiSchema.js';
import { addToHistory, clearHistory, readHistory, type HistoryEntry } from './history/queryHistory.js';
import { renderHistory } from './history/historyList.js';
import { curlCommand } from './curlCommand.js';
import { InputError, type RequestInput } from './graphqlRequest.js';
import { byId } from './dom.js';

/** Help writing queries: the schema behind autocomplete and the docs, the history, and "Copy as curl". */
export interface QueryHelp {
  /** A session began (its token) or ended (undefined): load the schema for it, or forget it. */
  sessionChanged(token: string | undefined): Promise<void>;
  /** The router answered this query: it goes to the top of the history. */
  ran(run: { query: string; variables: string }): void;
}

/** The page's editors and the trace box, which the help reads and fills. */
export interface RequestEditors {
  query: Editor;
  variables: Editor;
  headers: Editor;
  trace: HTMLInputElement;
}

/** Wires the help to the page: #history (with #clear-history), #copy-curl (#curl, #curl-status) and the docs pane. */
export function setUpQueryHelp(editors: RequestEditors, docs: DocsPane): QueryHelp {
  const restore = (entry: HistoryEntry) => {
    editors.query.setText(entry.query);
    editors.variables.setText(entry.variables);
  };
  const showHistory = (entries: HistoryEntry[]) => byId('history').replaceChildren(renderHistory(entries, restore));
  showHistory(readHistory(localStorage));
  byId('clear-history').addEventListener('click', () => {
    clearHistory(localStorage);
    showHistory([]);
  });

  byId('copy-curl').addEventListener('click', () => copyAsCurl(editors));

  // A later session's schema wins over an earlier one still loading; the same session loads once.
  let loads = 0;
  let current: string | undefined;
  return {
    async sessionChanged(token) {
      if (token === current) return;
      current = token;
      const load = ++loads;
      if (!token) {
        editors.query.setSchema(undefined);
        docs.setSchema(undefined, 'Log in to see the schema.');
        return;
      }
      try {
        const schema = await fetchApiSchema(token);
        if (load !== loads) return;
        editors.query.setSchema(schema);
        docs.setSchema(schema);
      } catch (error) {
        if (load !== loads) return;
        // Asked again at the next session change (a login, the page's next load).
        current = undefined;
        docs.setSchema(undefined, (error as Error).message);
      }
    },
    ran: (run) => showHistory(addToHistory(localStorage, run)),
  };
}

/** Shows the command for the request as written (token replaced by a placeholder) and copies it to the clipboard. */
function copyAsCurl(editors: RequestEditors): void {
  const box = byId<HTMLTextAreaElement>('curl');
  const status = byId('curl-status');
  const input: RequestInput = { query: editors.query.text(), variables: editors.variables.text(), headers: editors.headers.text(), trace: editors.trace.checked };
  let command: string;
  try {
    command = curlCommand(`${location.origin}/graphql`, input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    status.textContent = error.message;
    return;
  }
  box.value = command;
  box.hidden = false;
  status.textContent = '';
  // The clipboard may be refused (no permission, page not focused): the command stays shown to copy by hand.
  (navigator.clipboard ? navigator.clipboard.writeText(command) : Promise.reject(new Error('no clipboard'))).then(
    () => (status.textContent = 'Copied, with <token> in place of your token.'),
    () => (status.textContent = 'Select the command and copy it; put your token in place of <token>.'),
  );
}
