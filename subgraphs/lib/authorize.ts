import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { SubgraphContext } from './subgraphContext.js';

/** A named authorization rule; the name is what denials and decision reports show. */
export interface Rule<TParent = unknown> {
  name: string;
  allows(context: SubgraphContext, parent: TParent): boolean;
}

/**
 * Checks a rule for the field being resolved, records the decision, and on denial throws a
 * field error with code FORBIDDEN (GraphQL puts the field's path on it; the rest of the
 * response is unaffected).
 */
export function authorize<TParent>(rule: Rule<TParent>, parent: TParent, context: SubgraphContext, info: GraphQLResolveInfo): void {
  if (context.open) return;
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (rule.allows(context, parent)) {
    context.decisions.record(field, 'allow', rule.name);
    return;
  }
  context.decisions.record(field, 'deny', rule.name);
  throw new GraphQLError(`Not allowed to access ${field}`, { extensions: { code: 'FORBIDDEN', rule: rule.name } });
}

/** Rule: the token holds a scope. */
export function hasScope(scope: string): Rule {
  return { name: `scope ${scope}`, allows: (context) => context.auth?.scopes.includes(scope) ?? false };
}

/** Rule: the token's subject holds a role in this subgraph's own role table. */
export function hasRole(roles: { has(subject: string, role: string): boolean }, role: string): Rule {
  return { name: `role ${role}`, allows: (context) => (context.auth ? roles.has(context.auth.sub, role) : false) };
}
