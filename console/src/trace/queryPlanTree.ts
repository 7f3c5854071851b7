import type { QueryPlanNode } from '../../../router/publishedTypes.js';
import { h } from '../dom.js';

/** A node's children, each with the word that says its part in the node (`if`, `deferred at ...`), if any. */
function childrenOf(node: QueryPlanNode): { part?: string; node: QueryPlanNode }[] {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.map((child) => ({ node: child }));
    case 'Flatten':
      return [{ node: node.node }];
    case 'Condition':
      return [...(node.ifClause ? [{ part: 'if', node: node.ifClause }] : []), ...(node.elseClause ? [{ part: 'else', node: node.elseClause }] : [])];
    case 'Defer':
      return [
        ...(node.primary ? [{ part: 'primary', node: node.primary }] : []),
        ...node.deferred.flatMap((deferred) => (deferred.node ? [{ part: `deferred${deferred.label ? ` "${deferred.label}"` : ''} at ${deferred.path || 'the root'}`, node: deferred.node }] : [])),
      ];
    case 'Subscription':
      return [{ part: 'primary', node: node.primary }, ...(node.rest ? [{ part: 'rest', node: node.rest }] : [])];
    default:
      return [];
  }
}

/** What a node says on its own line, beside its kind. */
function headline(node: QueryPlanNode): (Node | string)[] {
  switch (node.kind) {
    case 'Fetch':
      return [h('strong', { 'data-testid': 'plan-service' }, node.serviceName), node.requires ? h('span', { class: 'caption' }, ` entities: ${node.requires}`) : ''];
    case 'Flatten':
      return [h('code', {}, node.path)];
    case 'Condition':
      return [h('code', {}, `$${node.condition}`)];
    default:
      return [];
  }
}

function renderNode(node: QueryPlanNode, part?: string): HTMLElement {
  const attributes: Record<string, string> = { 'data-kind': node.kind, 'data-testid': node.kind === 'Fetch' ? 'plan-fetch' : 'plan-node' };
  if (node.kind === 'Fetch') attributes['data-service'] = node.serviceName;
  const line = h('div', { class: 'plan-line' }, part ? h('span', { class: 'caption' }, `${part}: `) : '', h('span', { class: `plan-kind ${node.kind.toLowerCase()}` }, node.kind), ' ', ...headline(node));
  const children = childrenOf(node);
  return h('li', attributes, line, node.kind === 'Fetch' && operationOf(node.operation), children.length > 0 && h('ul', {}, ...children.map((child) => renderNode(child.node, child.part))));
}

/** A fetch's operation, folded away behind a button (plans of a few fetches are read at a glance). */
function operationOf(operation: string): HTMLElement {
  const text = h('pre', { class: 'plan-operation', 'data-testid': 'plan-operation', hidden: '' }, operation);
  const button = h('button', { class: 'small', 'aria-expanded': 'false' }, 'operation');
  button.addEventListener('click', () => {
    text.hidden = !text.hidden;
    button.setAttribute('aria-expanded', String(!text.hidden));
  });
  return h('div', { class: 'plan-op' }, button, text);
}

/** The trace's query plan as a nested tree: sequences, parallel groups, flattens, and each fetch with its subgraph and operation. */
export function renderQueryPlan(plan: QueryPlanNode | null | undefined): HTMLElement {
  if (plan === undefined) return h('p', { class: 'caption' }, 'No query plan: the operation was refused before it was planned.');
  if (plan === null) return h('p', { class: 'caption' }, 'No subgraph was needed: the router answered this operation itself.');
  return h('ul', { class: 'plan' }, renderNode(plan));
}
