import type { DelegationTrace, FieldTrace } from '../../../router/publishedTypes.js';
import { h } from '../dom.js';
import { fieldDecisions } from './fieldDecisions.js';
import { badge } from './badges.js';
import { decisionWord, deniedFetches, fieldMarks, markCounts } from './words.js';

/** The call chain of a field as one line: alice (web-app) → deputy-router → accounts → reviews via accounts. */
export function chainText(field: FieldTrace): string {
  return field.chain.map((hop) => `${hop.party}${hop.role === 'caller' && hop.clientId ? ` (${hop.clientId})` : ''}${hop.via ? ` via ${hop.via}` : ''}`).join(' → ');
}

/** What authorization did to the field: denied (with the rule), items withheld, or neither. */
function outcome(path: string, field: FieldTrace, trace: DelegationTrace): HTMLElement[] {
  const withheld = markCounts(fieldDecisions(path, field, trace)).withheld;
  const lines: HTMLElement[] = [];
  if (field.denied) lines.push(h('p', { class: 'denied', 'data-testid': 'denial' }, `Denied by ${field.subgraph}, rule: `, h('strong', {}, field.denied.rule)));
  for (const fetch of deniedFetches(field, trace)) {
    lines.push(h('p', { class: 'denied', 'data-testid': 'denial' }, `Denied: no token for ${fetch.subgraph} (fetch #${fetch.id}, DELEGATION_DENIED${fetch.reason ? ` ${fetch.reason}` : ''}).`));
  }
  if (withheld) lines.push(h('p', { class: 'withheld', 'data-testid': 'withholding' }, `${withheld} withheld by ${field.subgraph} without an error (see its rules below).`));
  if (!lines.length) lines.push(h('p', { class: 'allowed' }, 'Neither denied nor withheld.'));
  return lines;
}

/** The chain, audience, scopes, token source, subgraph decisions, and whether the field was denied or withheld. */
export function fieldDetails(path: string, field: FieldTrace, trace: DelegationTrace): HTMLElement {
  const fetches = trace.fetches.filter((fetch) => field.fetches.includes(fetch.id));
  const first = fetches[0];
  const decisions = fieldDecisions(path, field, trace);
  const row = (label: string, value: string, testId?: string) => [h('dt', {}, label), h('dd', testId ? { 'data-testid': testId } : {}, value)];
  return h(
    'div',
    {},
    h('h3', {}, path, ...fieldMarks(path, field, trace).map((mark) => badge(mark))),
    h(
      'dl',
      {},
      ...row('Subgraph', field.subgraph),
      ...row('Chain', chainText(field), 'field-chain'),
      ...row('Audience', first?.audience ?? '-', 'field-audience'),
      ...row('Scopes', first?.scopes.join(' ') || 'none', 'field-scopes'),
      ...row('Fetches', fetches.map((fetch) => `#${fetch.id} (token: ${fetch.token?.source ?? 'none'})`).join(', ')),
    ),
    ...outcome(path, field, trace),
    decisions.length
      ? h(
          'ul',
          { class: 'decisions', 'data-testid': 'decisions' },
          ...decisions.map((decision) =>
            h('li', { class: decision.decision, 'data-testid': `decision-${decision.decision}` }, h('code', {}, decision.field), ` ${decisionWord(decision.decision)} ×${decision.count}: `, h('strong', {}, decision.rule)),
          ),
        )
      : undefined,
  );
}
