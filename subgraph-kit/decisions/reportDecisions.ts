import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';

/**
 * What a subgraph reports under its response's `extensions.authorization`: the router reads
 * `decisions` into the delegation trace and counts the denials (deputy_authorization_denials_total).
 */
export interface AuthorizationReport {
  subgraph: string;
  decisions: AuthorizationDecision[];
}

/**
 * A response's `extensions` with the request's decisions added as `authorization: { subgraph,
 * decisions }`; unchanged (possibly undefined) when no rule decided anything.
 */
export function reportDecisions(subgraph: string, decisions: AuthorizationDecision[], extensions?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (decisions.length === 0) return extensions;
  const authorization: AuthorizationReport = { subgraph, decisions };
  return { ...extensions, authorization };
}
