import type { GraphQLSchema } from 'graphql';
import type { RuleSet } from './ruleSet.js';
import { checkRuleCoverage } from './checkRuleCoverage.js';
import { applyRules } from './applyRules.js';

/**
 * The one call a subgraph makes: refuses (RuleCoverageError) a rules map that leaves a field,
 * an entity or a mutation's write scope uncovered, then wraps every resolver with its rule.
 */
export function protectSchema(subgraph: string, schema: GraphQLSchema, rules: RuleSet): GraphQLSchema {
  checkRuleCoverage(subgraph, schema, rules);
  return applyRules(schema, rules);
}
