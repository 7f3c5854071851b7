import type { QueryPlan, PlanNode, SubscriptionNode } from '@apollo/query-planner';

/** The subgraphs a query plan fetches, in plan order, each once. */
export function plannedSubgraphs(plan: QueryPlan): string[] {
  const names = new Set<string>();
  const visit = (node: PlanNode | SubscriptionNode | undefined): void => {
    if (!node) return;
    switch (node.kind) {
      case 'Fetch':
        names.add(node.serviceName);
        return;
      case 'Sequence':
      case 'Parallel':
        node.nodes.forEach(visit);
        return;
      case 'Flatten':
        visit(node.node);
        return;
      case 'Condition':
        visit(node.ifClause);
        visit(node.elseClause);
        return;
      case 'Defer':
        visit(node.primary.node);
        node.deferred.forEach((deferred) => visit(deferred.node));
        return;
      default:
        visit(node.primary);
        visit(node.rest);
    }
  };
  visit(plan.node);
  return [...names];
}
