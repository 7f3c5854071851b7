import { errors } from 'oidc-provider';
import type { ActClaim } from '../../lib/verifyAccessToken.js';

/** How many actors an act claim names (the outermost plus every nested one). */
export function actDepth(act: ActClaim | undefined): number {
  return act ? 1 + actDepth(act.act) : 0;
}

/**
 * RFC 8693 §4.1: the new token's `act` names the current actor first and nests the prior
 * chain (the subject token's own `act`) inside it. Refused with `invalid_request` beyond
 * `maxDepth` actors, so delegation chains stay short and auditable.
 */
export function buildActClaim(actors: string[], prior: ActClaim | undefined, maxDepth: number): ActClaim {
  const act = actors.reduceRight<ActClaim | undefined>((inner, sub) => (inner ? { sub, act: inner } : { sub }), prior);
  if (!act) throw new TypeError('at least one actor is required');
  if (actDepth(act) > maxDepth) {
    throw new errors.InvalidRequest(`delegation chain would exceed ${maxDepth} actors`);
  }
  return act;
}
