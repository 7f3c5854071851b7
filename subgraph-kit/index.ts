// `import { protectSchema, scope } from 'deputy/subgraph'`: what a subgraph team uses to declare
// its authorization rules once and have them applied to every resolver (the package's
// `deputy/subgraph` export). Token verification and the broker client join it later.
export { everyone, condition, scope, role, when, all, any, type Rule, type RuleContext } from './rules/rule.js';
export type { RuleSet, TypeRules } from './rules/ruleSet.js';
export { protectSchema } from './rules/protectSchema.js';
export { applyRules } from './rules/applyRules.js';
export { checkRuleCoverage, RuleCoverageError } from './rules/checkRuleCoverage.js';
export { DecisionLog, type DecisionKind, type AuthorizationDecision } from './rules/decisionLog.js';
export { InputError, checkLength, checkRange, checkKnown } from './inputs/inputErrors.js';
