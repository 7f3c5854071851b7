import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';

export type { AuthorizationDecision };

/** The three outcomes of a rule: the value is returned, refused with an error, or left out without one. */
export type DecisionKind = AuthorizationDecision['decision'];

/** Where the rules record what they decided: a DecisionLog, or anything with the same `record`. */
export interface DecisionRecorder {
  record(field: string, decision: DecisionKind, rule: string, roles?: readonly string[]): void;
}

/**
 * The decisions of one request, folded by (field, decision, rule) so a query touching a field
 * a hundred times reports one line. Holds no personal data beyond what the rule names.
 */
export class DecisionLog implements DecisionRecorder {
  private readonly decisions = new Map<string, AuthorizationDecision>();

  /** Counts one decision on a field (or on a type, for an object rule); `roles`: those the rule looks up. */
  record(field: string, decision: DecisionKind, rule: string, roles?: readonly string[]): void {
    const key = `${field}\n${decision}\n${rule}`;
    const existing = this.decisions.get(key);
    if (existing) existing.count += 1;
    // A rule's name decides its roles: the first occurrence's are the line's.
    else this.decisions.set(key, { field, decision, rule, ...(roles?.length ? { roles: [...roles] } : {}), count: 1 });
  }

  /** The decisions so far, one line per (field, decision, rule). */
  list(): AuthorizationDecision[] {
    return [...this.decisions.values()];
  }
}
