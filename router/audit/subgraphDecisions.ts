import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { foldPath, responsePathOf } from '../trace/foldPath.js';
import type { AuditEvent } from './auditLog.js';

/** Who a subgraph answered: the request's trace, its user and client, and for a brokered call the service that asked. */
export interface DecisionsContext {
  traceId?: string;
  subject?: string;
  client?: string;
  /** A brokered call (POST /delegate): the client id of the service that asked. */
  via?: string;
}

/** The decisions a subgraph reported, kept to their documented shape (field, decision, rule, roles, count). */
function reportedDecisions(response: GatewayGraphQLResponse): AuthorizationDecision[] | undefined {
  const decisions = (response.extensions?.authorization as { decisions?: unknown } | undefined)?.decisions;
  if (!Array.isArray(decisions)) return undefined;
  return (decisions as Partial<AuthorizationDecision>[])
    .filter((d): d is AuthorizationDecision => typeof d?.field === 'string' && ['allow', 'deny', 'withhold'].includes(d.decision as string) && typeof d.rule === 'string')
    .map(({ field, decision, rule, roles, count }) => ({
      field,
      decision,
      rule,
      ...(Array.isArray(roles) ? { roles: roles.filter((role): role is string => typeof role === 'string') } : {}),
      count: typeof count === 'number' && count > 0 ? count : 1,
    }));
}

/**
 * What one subgraph decided within one request, over all its fetches: the decisions it
 * reported in `extensions.authorization` (counts added up per field, outcome and rule) and, from
 * its FORBIDDEN errors, the response paths it refused (list indices folded as `@`) with their
 * rule, so the story of a request matches its errors. A subgraph that reports no decisions is
 * still audited by its FORBIDDEN errors.
 */
export class SubgraphDecisions {
  private readonly decisions = new Map<string, AuthorizationDecision>();
  private readonly denied = new Map<string, { path: string; rule: string; count: number }>();
  private readonly planPaths = new Set<string>();
  private reported = false;
  private fetches = 0;

  /** Adds one response; `planPath` places an entity fetch's errors in the response. Reads what it gets defensively (a brokered answer is any JSON). */
  add(response: GatewayGraphQLResponse, planPath?: readonly (string | number)[]): void {
    if (typeof response !== 'object' || response === null) return;
    const plan = (planPath ?? []).map(String);
    this.fetches += 1;
    this.planPaths.add(foldPath(plan));
    const decisions = reportedDecisions(response);
    this.reported ||= decisions !== undefined;
    for (const decision of decisions ?? []) {
      const key = `${decision.field}\n${decision.decision}\n${decision.rule}`;
      const seen = this.decisions.get(key);
      if (seen) seen.count += decision.count;
      else this.decisions.set(key, { ...decision });
    }
    for (const error of Array.isArray(response.errors) ? response.errors : []) {
      if (error?.extensions?.code !== ErrorCode.FORBIDDEN || !Array.isArray(error.path)) continue;
      const rule = typeof error.extensions.rule === 'string' ? error.extensions.rule : 'unknown';
      const path = responsePathOf(error.path, plan);
      const seen = this.denied.get(`${path}\n${rule}`);
      if (seen) seen.count += 1;
      else this.denied.set(`${path}\n${rule}`, { path, rule, count: 1 });
    }
  }

  /** The `decisions` event of `subgraph`; undefined when its responses held neither decisions nor refusals. */
  event(subgraph: string, who: DecisionsContext): AuditEvent | undefined {
    if (this.decisions.size === 0 && this.denied.size === 0) return undefined;
    return {
      event: 'decisions',
      traceId: who.traceId,
      subject: who.subject,
      client: who.client,
      subgraph,
      ...(who.via ? { via: who.via } : {}),
      fetches: this.fetches,
      planPaths: [...this.planPaths],
      reported: this.reported,
      decisions: [...this.decisions.values()],
      denied: [...this.denied.values()],
    };
  }
}
