import type { GraphQLSchema } from 'graphql';
import { isObject, isUnion } from '../../lib/graphql/schemaTypes.js';
import type { RuleSet } from './ruleSet.js';
import type { Rule } from './rule.js';

/** Federation's own entry points: `_entities` is governed by each entity type's object rule. */
const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service', '_Service.sdl']);

/** A read rule decides on the data alone, or needs the read scope for every caller it lets through. */
const readRuleSound = (rule: Rule, readScope: string) => rule.callerFree || rule.requiresOfCaller.includes(readScope);

/** A subgraph whose rules do not cover its schema: it must not start (fail closed). */
export class RuleCoverageError extends Error {
  readonly code = 'RULES_INCOMPLETE';
  constructor(
    readonly subgraph: string,
    readonly problems: string[],
  ) {
    super(`${subgraph}: authorization rules do not cover the schema:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** The object types a subgraph serves, with the names of their fields (federation's own left out). */
export function protectedFields(schema: GraphQLSchema): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObject(type) || type.name.startsWith('__') || type.name === '_Service') continue;
    types.set(type.name, Object.keys(type.getFields()).filter((field) => !FEDERATION_FIELDS.has(`${type.name}.${field}`)));
  }
  return types;
}

/** The entity types: those `_entities` can return by key. */
export function entityTypes(schema: GraphQLSchema): string[] {
  const entity = schema.getType('_Entity');
  return isUnion(entity) ? entity.getTypes().map((type) => type.name) : [];
}

/**
 * Start-up check of a rules map against the schema it protects. Refused: a field without a
 * rule, an entity type without an object rule, a rule for a type or field that does not exist,
 * a mutation whose rule does not require the write scope on every path, and a read rule that
 * lets a caller through without the read scope (rules on the data alone, like `everyone`, pass).
 */
export function checkRuleCoverage(subgraph: string, schema: GraphQLSchema, rules: RuleSet): void {
  const problems: string[] = [];
  const fields = protectedFields(schema);
  for (const [type, names] of fields) {
    const declared = rules.types[type];
    const isMutation = type === schema.getMutationType()?.name;
    for (const field of names) {
      const rule = declared?.fields[field];
      if (!rule) problems.push(`${type}.${field} has no rule`);
      else if (isMutation && (!rules.writeScope || !rule.requires.includes(rules.writeScope))) {
        problems.push(`${type}.${field} is a mutation: its rule "${rule.name}" must require ${rules.writeScope ?? 'a write scope (writeScope is not set)'}`);
      } else if (!isMutation && !readRuleSound(rule, rules.readScope)) {
        problems.push(`${type}.${field}: its rule "${rule.name}" must require ${rules.readScope} wherever it depends on the caller`);
      }
    }
    const object = declared?.object;
    if (object && !readRuleSound(object, rules.readScope)) problems.push(`${type}: its object rule "${object.name}" must require ${rules.readScope} wherever it depends on the caller`);
  }
  for (const type of entityTypes(schema)) {
    if (!rules.types[type]?.object) problems.push(`${type} is an entity (reachable through _entities): it needs an object rule`);
  }
  for (const [type, declared] of Object.entries(rules.types)) {
    const names = fields.get(type);
    if (!names) problems.push(`rules name type ${type}, which the schema does not have`);
    else for (const field of Object.keys(declared.fields)) if (!names.includes(field)) problems.push(`rules name ${type}.${field}, which the schema does not have`);
  }
  if (problems.length > 0) throw new RuleCoverageError(subgraph, problems);
}
