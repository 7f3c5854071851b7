import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';
import type { RouterMetrics } from './metrics.js';

/** The denials one subgraph response reports, by rule: its decision report, else its FORBIDDEN errors. */
export function denialsOf(response: GatewayGraphQLResponse): Map<string, number> {
  const denials = new Map<string, number>();
  const add = (rule: unknown, count: unknown) => {
    if (typeof rule === 'string' && typeof count === 'number' && count > 0) denials.set(rule, (denials.get(rule) ?? 0) + count);
  };
  const decisions = (response.extensions?.authorization as { decisions?: AuthorizationDecision[] } | undefined)?.decisions;
  // The decision report counts every denied occurrence (a field refused in eight list items is eight);
  // a subgraph that sends none (not built on the kit) still names the rule in each FORBIDDEN error.
  if (Array.isArray(decisions)) for (const decision of decisions) add(decision.decision === 'deny' ? decision.rule : undefined, decision.count);
  else for (const error of response.errors ?? []) add(error.extensions?.code === 'FORBIDDEN' ? error.extensions.rule : undefined, 1);
  return denials;
}

/** Counts each subgraph response's denials in deputy_authorization_denials_total{subgraph,rule}. */
export function countDenials(metrics: RouterMetrics): (subgraph: string, response: GatewayGraphQLResponse) => void {
  return (subgraph, response) => {
    for (const [rule, count] of denialsOf(response)) metrics.denials.inc({ subgraph, rule: metrics.labels.rule.fold(rule) }, count);
  };
}
