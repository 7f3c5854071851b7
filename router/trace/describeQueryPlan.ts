import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode, SubscriptionNode } from '@apollo/query-planner';
import type { QueryPlanNode } from './delegationTrace.js';

/**
 * The trace's `queryPlan`: the gateway's plan as a JSON tree of plain values. Not the plan object
 * itself: that carries parsed documents and rewrite instructions no client needs, and its shape is
 * the planner's, not a contract of ours.
 */
export function describeQueryPlan(plan: QueryPlan): QueryPlanNode | null {
  return plan.node ? describeNode(plan.node) : null;
}

function describeNode(node: PlanNode | SubscriptionNode): QueryPlanNode {
  switch (node.kind) {
    case 'Fetch':
      return describeFetch(node);
    case 'Sequence':
    case 'Parallel':
      return { kind: node.kind, nodes: node.nodes.map(describeNode) };
    case 'Flatten':
      return { kind: 'Flatten', path: node.path.join('.'), node: describeNode(node.node) };
    case 'Condition':
      return { kind: 'Condition', condition: node.condition, ...optional('ifClause', node.ifClause), ...optional('elseClause', node.elseClause) };
    case 'Defer':
      return {
        kind: 'Defer',
        ...optional('primary', node.primary.node),
        deferred: node.deferred.map((deferred) => ({ ...(deferred.label ? { label: deferred.label } : {}), path: deferred.queryPath.join('.'), ...optional('node', deferred.node) })),
      };
    default:
      return { kind: 'Subscription', primary: describeFetch(node.primary), ...optional('rest', node.rest) };
  }
}

function describeFetch(node: FetchNode): QueryPlanNode {
  return {
    kind: 'Fetch',
    serviceName: node.serviceName,
    ...(node.operationName ? { operationName: node.operationName } : {}),
    operationKind: node.operationKind,
    operation: node.operation,
    variableUsages: node.variableUsages ?? [],
    // An entity fetch: the fields of each representation it sends (`_entities(representations:)`).
    ...(node.requires?.length ? { requires: printSelections(node.requires) } : {}),
  };
}

/** `{ key: described }`, or nothing when the child is absent (no `undefined` keys in the JSON). */
function optional<K extends string>(key: K, node: PlanNode | undefined): Partial<Record<K, QueryPlanNode>> {
  return node ? ({ [key]: describeNode(node) } as Record<K, QueryPlanNode>) : {};
}

/** Selections as GraphQL text, e.g. `... on Product { __typename upc }`. */
function printSelections(selections: readonly QueryPlanSelectionNode[]): string {
  return selections
    .map((selection) => {
      const inner = selection.selections?.length ? ` { ${printSelections(selection.selections)} }` : '';
      if (selection.kind === 'InlineFragment') return `...${selection.typeCondition ? ` on ${selection.typeCondition}` : ''}${inner}`;
      return `${selection.alias ? `${selection.alias}: ` : ''}${selection.name}${inner}`;
    })
    .join(' ');
}
