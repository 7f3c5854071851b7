import type { DelegationTrace, FieldTrace } from '../../../router/publishedTypes.js';
import { h } from '../dom.js';
import { fieldDecisions } from './fieldDecisions.js';

/** The call chain of a field as one line: alice (web-app) → deputy-router → accounts → reviews via accounts. */
export function chainText(field: FieldTrace): string {
  return field.chain.map((hop) => `${hop.party}${hop.role === 'caller' && hop.clientId ? ` (${hop.clientId})` : ''}${hop.via ? ` via ${hop.via}` : ''}`).join(' → ');
}

function denial(field: FieldTrace): HTMLElement {
  if (!field.denied) return h('p', { class: 'allowed' }, 'The field itself was not denied.');
  return h('p', { class: 'denied', 'data-testid': 'denial' }, `Denied by ${field.subgraph}, rule: `, h('strong', {}, field.denied.rule));
}

/** The chain, audience, scopes, token source, subgraph decisions and any denial of one field. */
export function fieldDetails(path: string, field: FieldTrace, trace: DelegationTrace): HTMLElement {
  const fetches = trace.fetches.filter((fetch) => field.fetches.includes(fetch.id));
  const first = fetches[0];
  const decisions = fieldDecisions(path, field, trace);
  const row = (label: string, value: string, testId?: string) => [h('dt', {}, label), h('dd', testId ? { 'data-testid': testId } : {}, value)];
  return h(
    'div',
    {},
    h('h3', {}, path),
    h(
      'dl',
      {},
      ...row('Subgraph', field.subgraph),
      ...row('Chain', chainText(field), 'field-chain'),
      ...row('Audience', first?.audience ?? '-', 'field-audience'),
      ...row('Scopes', first?.scopes.join(' ') || 'none', 'field-scopes'),
      ...row('Fetches', fetches.map((fetch) => `#${fetch.id} (token: ${fetch.token?.source ?? 'none'})`).join(', ')),
    ),
    denial(field),
    decisions.length
      ? h(
          'ul',
          { class: 'decisions', 'data-testid': 'decisions' },
          ...decisions.map((decision) =>
            h('li', { class: decision.decision, 'data-testid': `decision-${decision.decision}` }, h('code', {}, decision.field), ` ${decision.decision} ×${decision.count}: `, h('strong', {}, decision.rule)),
          ),
        )
      : undefined,
  );
}
