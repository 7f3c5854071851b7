import {
  GraphQLError,
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Rule, RuleContext } from './rule.js';
import type { RuleSet } from './ruleSet.js';
import { protectedFields } from './checkRuleCoverage.js';
import { isAbstract, isObject, namedType } from '../../lib/graphql/schemaTypes.js';

type ReferenceResolver = (reference: object, context: RuleContext, info: unknown) => unknown;
type Extensions = { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } };

/** Runs `then` on a value, or on what a promise of it resolves to. */
function after<T>(value: unknown, then: (resolved: unknown) => T): T | Promise<T> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** Checks a field rule; on denial records it and throws FORBIDDEN with the rule's name. */
function decideField(rule: Rule, coordinate: string, context: RuleContext, parent: unknown, args: Record<string, unknown>): void {
  if (rule.allows(context, parent, args)) {
    context.decisions.record(coordinate, 'allow', rule.name, rule.roles);
    return;
  }
  context.decisions.record(coordinate, 'deny', rule.name, rule.roles);
  throw new GraphQLError(`Not allowed to access ${coordinate}`, { extensions: { code: 'FORBIDDEN', rule: rule.name } });
}

type Gate = (item: unknown, context: RuleContext) => boolean;

/**
 * The object rules that apply to a value of `type`: its own, or, for a union or interface,
 * the rule of each item's `__typename`. Decisions are recorded under `coordinate`: the field
 * that returned the object (`User.reviews`), or the type itself for `_entities`.
 */
function objectGate(schema: GraphQLSchema, type: GraphQLNamedType, rules: RuleSet, coordinate?: string): Gate | undefined {
  const ruleOf = (name: string) => {
    const rule = rules.types[name]?.object;
    return rule && !rule.always ? rule : undefined;
  };
  const check = (name: string, rule: Rule, item: unknown, context: RuleContext) => {
    const visible = rule.allows(context, item, {});
    context.decisions.record(coordinate ?? name, visible ? 'allow' : 'withhold', rule.name, rule.roles);
    return visible;
  };
  if (isObject(type)) {
    const rule = ruleOf(type.name);
    return rule && ((item, context) => check(type.name, rule, item, context));
  }
  if (!isAbstract(type) || !schema.getPossibleTypes(type as Parameters<GraphQLSchema['getPossibleTypes']>[0]).some((possible) => ruleOf(possible.name))) return undefined;
  return (item, context) => {
    const name = (item as { __typename?: unknown }).__typename;
    const rule = typeof name === 'string' ? ruleOf(name) : undefined;
    // An item whose type cannot be told is left out rather than shown unchecked.
    if (typeof name !== 'string') return false;
    return rule ? check(name, rule, item, context) : true;
  };
}

/** Leaves out, at any list depth, the objects the gate withholds; a single withheld object becomes null. */
function withholdHidden(value: unknown, gate: Gate, context: RuleContext): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => after(item, (resolved) => (Array.isArray(resolved) ? withholdHidden(resolved, gate, context) : resolved)));
    const keep = (resolved: unknown[]) => resolved.filter((item) => Array.isArray(item) || item === null || item === undefined || gate(item, context));
    return items.some((item) => item instanceof Promise) ? Promise.all(items).then(keep) : keep(items);
  }
  return gate(value, context) ? value : null;
}

/** Wraps one field: its own rule before it runs, the object rule of what it returns after. */
function protectField(type: GraphQLObjectType, fieldName: string, rules: RuleSet, schema: GraphQLSchema): void {
  const field = type.getFields()[fieldName];
  const rule = rules.types[type.name]?.fields[fieldName];
  const coordinate = `${type.name}.${fieldName}`;
  const gate = objectGate(schema, namedType(field.type), rules, coordinate);
  if ((!rule || rule.always) && !gate) return;
  const resolve: GraphQLFieldResolver<unknown, RuleContext> = field.resolve ?? defaultFieldResolver;
  field.resolve = (parent, args, context: RuleContext, info) => {
    if (context.open) return resolve(parent, args, context, info);
    if (rule && !rule.always) decideField(rule, coordinate, context, parent, args);
    const result = resolve(parent, args, context, info);
    return gate ? after(result, (resolved) => withholdHidden(resolved, gate, context)) : result;
  };
}

/** Wraps an entity's reference resolver (`_entities`): a withheld object is null there too. */
function protectReference(type: GraphQLObjectType, rules: RuleSet, schema: GraphQLSchema): void {
  const gate = objectGate(schema, type, rules);
  if (!gate) return;
  const extensions = type.extensions as Extensions;
  const resolveReference = extensions.apollo?.subgraph?.resolveReference;
  const guarded: ReferenceResolver = (reference, context, info) => {
    const resolved = resolveReference ? resolveReference(reference, context, info) : reference;
    if (context.open) return resolved;
    return after(resolved, (object) => (object === null || object === undefined || gate(object, context) ? object : null));
  };
  (type as { extensions: Extensions }).extensions = { ...extensions, apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } } };
}

/**
 * Applies a rules map to every resolver of a built subgraph schema, reference resolvers
 * included: one wrapper, so no field and no entry point can forget a rule. Run
 * checkRuleCoverage first; fields ruled `everyone` are left unwrapped (they cost nothing).
 */
export function applyRules(schema: GraphQLSchema, rules: RuleSet): GraphQLSchema {
  for (const [typeName, fields] of protectedFields(schema)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of fields) protectField(type, field, rules, schema);
    protectReference(type, rules, schema);
  }
  return schema;
}
