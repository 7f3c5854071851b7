/**
 * One authorization decision a subgraph reports: a field (or a type, for an object rule), the
 * outcome, the rule that decided, how often. `deny` refused the field with a FORBIDDEN error;
 * `withhold` left an object out (a list without it, or null) without an error.
 */
export interface AuthorizationDecision {
  /** The schema coordinate, e.g. `User.birthday`, `Mutation.setStock`, or `Review` for an object rule. */
  field: string;
  decision: 'allow' | 'deny' | 'withhold';
  rule: string;
  /** The roles the rule looks up in the subgraph's role table (absent when it names none). */
  roles?: string[];
  count: number;
}
