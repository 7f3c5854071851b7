import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';

export type { AuthorizationDecision };

/**
 * The decisions of one request, folded by (field, decision, rule) so a query touching a field
 * a hundred times reports one line. Holds no personal data beyond what the rule names.
 */
export class DecisionLog {
  private readonly decisions = new Map<string, AuthorizationDecision>();

  record(field: string, decision: 'allow' | 'deny', rule: string): void {
    const key = `${field}\n${decision}\n${rule}`;
    const existing = this.decisions.get(key);
    if (existing) existing.count += 1;
    else this.decisions.set(key, { field, decision, rule, count: 1 });
  }

  list(): AuthorizationDecision[] {
    return [...this.decisions.values()];
  }
}
