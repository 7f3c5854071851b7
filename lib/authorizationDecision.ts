/** One authorization decision a subgraph reports: a field, the outcome, the rule that decided, how often. */
export interface AuthorizationDecision {
  /** The schema coordinate, e.g. `User.birthday` or `Mutation.setStock`. */
  field: string;
  decision: 'allow' | 'deny';
  rule: string;
  count: number;
}
