import type { Rule } from './rule.js';

/** The rules of one object type. */
export interface TypeRules {
  /**
   * Who may see an object of this type at all, on every path that yields one: a list leaves it
   * out, a single field and `_entities` give null (decision `withhold`). Required for every
   * entity type, since `_entities` reaches it by key.
   */
  object?: Rule;
  /** One rule per field, every field named: a field without a rule refuses to start. */
  fields: Record<string, Rule>;
}

/** The rules map of one subgraph: declared once, applied to every resolver by applyRules. */
export interface RuleSet {
  /** The scope every non-public read rule requires, e.g. `inventory:read`. */
  readScope: string;
  /** The scope every mutation requires, e.g. `inventory:write`; undefined when the subgraph has no mutations. */
  writeScope?: string;
  types: Record<string, TypeRules>;
}
