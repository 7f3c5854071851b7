import type { DeputyContext } from '../context/deputyContext.js';

/** What a rule sees of the request: the `deputy` context value (the verified caller) and the decision log. */
export type RuleContext = DeputyContext;

/**
 * A named authorization rule, with what the start-up checks can know without running it:
 * - `requires`: the scopes every request it allows holds (a mutation's rule must require the write scope);
 * - `requiresOfCaller`: the scopes every request it allows *because of who asks* holds, leaving out
 *   allowances that depend on the data alone (a read rule must require the read scope there);
 * - `callerFree`: it decides on the data alone, the same for everyone (`everyone`, `condition`);
 * - `always`: it allows everything (`everyone` only): no check runs and nothing is recorded;
 * - `roles`: the roles it looks up in the role table, reported with each decision (for the audit).
 */
export interface Rule<TParent = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly name: string;
  readonly requires: readonly string[];
  readonly requiresOfCaller: readonly string[];
  readonly callerFree: boolean;
  readonly always: boolean;
  readonly roles?: readonly string[];
  allows(context: RuleContext, parent: TParent, args: Record<string, unknown>): boolean;
}

const base = { requires: [], requiresOfCaller: [], callerFree: false, always: false } as const;

/** Anyone whose token the subgraph accepted (a delegation for a user): for public data only (catalog, keys). */
export const everyone: Rule = { ...base, name: 'public', callerFree: true, always: true, allows: () => true };

/** A property of the data alone, the same for every caller (e.g. "published"). */
export function condition<TParent>(name: string, holds: (parent: TParent) => boolean): Rule<TParent> {
  return { ...base, name, callerFree: true, allows: (_context, parent) => holds(parent) };
}

/** The token holds `name` (e.g. `inventory:read`). */
export function scope(name: string): Rule {
  return { ...base, name: `scope ${name}`, requires: [name], requiresOfCaller: [name], allows: (context) => context.deputy?.scopes.includes(name) ?? false };
}

/** The token's subject holds `name` in this subgraph's own role table, looked up on every request. */
export function role(roles: { has(subject: string, role: string): boolean }, name: string): Rule {
  return { ...base, name: `role ${name}`, roles: [name], allows: (context) => (context.deputy ? roles.has(context.deputy.subject, name) : false) };
}

/** A condition on the caller (the token's subject) and the parent object or the arguments, under a name people read. */
export function when<TParent>(name: string, allows: (subject: string, parent: TParent, args: Record<string, unknown>) => boolean): Rule<TParent> {
  return { ...base, name, allows: (context, parent, args) => context.deputy !== undefined && allows(context.deputy.subject, parent, args) };
}

const grouped = (rule: Rule) => (rule.name.includes(' or ') || rule.name.includes(' and ') ? `(${rule.name})` : rule.name);
const union = (lists: (readonly string[])[]) => [...new Set(lists.flat())];
const intersection = (lists: (readonly string[])[]) => (lists.length === 0 ? [] : lists.reduce((common, next) => common.filter((s) => next.includes(s))));

/** Every rule allows. */
export function all<TParent>(...rules: Rule<TParent>[]): Rule<TParent> {
  const callerFree = rules.every((rule) => rule.callerFree);
  return {
    name: rules.map(grouped).join(' and '),
    requires: union(rules.map((rule) => rule.requires)),
    requiresOfCaller: callerFree ? [] : union(rules.map((rule) => rule.requiresOfCaller)),
    callerFree,
    always: rules.every((rule) => rule.always),
    roles: union(rules.map((rule) => rule.roles ?? [])),
    allows: (context, parent, args) => rules.every((rule) => rule.allows(context, parent, args)),
  };
}

/** One rule allows. */
export function any<TParent>(...rules: Rule<TParent>[]): Rule<TParent> {
  const callerDependent = rules.filter((rule) => !rule.callerFree);
  return {
    name: rules.map(grouped).join(' or '),
    requires: intersection(rules.map((rule) => rule.requires)),
    requiresOfCaller: intersection(callerDependent.map((rule) => rule.requiresOfCaller)),
    callerFree: callerDependent.length === 0,
    always: rules.some((rule) => rule.always),
    roles: union(rules.map((rule) => rule.roles ?? [])),
    allows: (context, parent, args) => rules.some((rule) => rule.allows(context, parent, args)),
  };
}
