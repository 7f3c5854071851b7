import type { Subject } from './tokenExchanger.js';
import { delegationDenied } from './delegationRefusals.js';

/** The router's delegation policy for one subgraph (from router.yaml). */
export interface SubgraphDelegation {
  audience: string;
  /** The scopes this subgraph may receive. */
  scopes: string[];
  /** Caller client ids this subgraph may serve; "*" for any. */
  allowedClients: string[];
}

/**
 * May this caller be served by this subgraph, and with which scopes? Returns the scopes to
 * request, sorted: the caller's scopes that the subgraph may receive (never more than the
 * caller holds, so an exchange never asks for an escalation). The router decides no
 * permission inside a subgraph; this only bounds what a token can carry.
 */
export function checkDelegationPolicy(caller: Subject, subgraph: string, delegation: SubgraphDelegation): string[] {
  const allowed = delegation.allowedClients.includes('*') || delegation.allowedClients.includes(caller.clientId);
  if (!allowed) throw delegationDenied(subgraph, 'policy', `client '${caller.clientId}' may not be served by this subgraph`);
  const held = new Set(caller.scopes);
  return delegation.scopes.filter((scope) => held.has(scope)).sort();
}
