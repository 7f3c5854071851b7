import type { AuthorizationDecision, DelegationTrace, FieldTrace } from '../../../router/publishedTypes.js';

/**
 * The subgraph's own decisions on the field at `path`: those its fetches reported for a
 * schema coordinate of the same field name (`users.@.reviews` → `User.reviews`), summed
 * over the fetches. The trace names coordinates, not paths, so every type's field of that
 * name in those fetches is listed, each with its coordinate.
 */
export function fieldDecisions(path: string, field: FieldTrace, trace: DelegationTrace): AuthorizationDecision[] {
  const name = path.split('.').pop();
  const summed = new Map<string, AuthorizationDecision>();
  for (const fetch of trace.fetches) {
    if (!field.fetches.includes(fetch.id)) continue;
    for (const decision of fetch.authorization) {
      if (decision.field.split('.').pop() !== name) continue;
      const key = `${decision.field}\n${decision.decision}\n${decision.rule}`;
      const known = summed.get(key);
      if (known) known.count += decision.count;
      else summed.set(key, { ...decision });
    }
  }
  return [...summed.values()];
}
