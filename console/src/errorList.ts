import type { GraphQLErrorShape } from './runQuery.js';
import { h } from './dom.js';
import { badge } from './trace/badges.js';
import { isDenial } from './trace/words.js';

/**
 * The response's errors, one line per kind: code, `denied` for a field refused by a rule or
 * policy, message, reason or rule, how many and where the first one was (eight denied
 * birthdays are one line, not eight).
 */
export function renderErrors(errors: GraphQLErrorShape[]): HTMLElement[] {
  const groups = new Map<string, { error: GraphQLErrorShape; count: number }>();
  for (const error of errors) {
    const { code, reason, rule } = error.extensions ?? {};
    const key = JSON.stringify([code, error.message, reason, rule]);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { error, count: 1 });
  }
  return [...groups.values()].map(({ error, count }) => {
    const { code, reason, rule } = error.extensions ?? {};
    return h(
      'li',
      { class: 'error' },
      h('code', {}, code ?? 'ERROR'),
      ' ',
      isDenial(code) && badge('denied'),
      isDenial(code) && ' ',
      error.message,
      reason ? ` (${reason})` : '',
      rule ? h('span', {}, ', rule: ', h('strong', {}, rule)) : '',
      error.path ? ` at ${error.path.join('.')}` : '',
      count > 1 ? ` and ${count - 1} more like it` : '',
    );
  });
}
