import type { Subject } from './tokenExchanger.js';
import { delegationDenied } from './delegationRefusals.js';

/** The router's delegation policy for one subgraph (from router.yaml). */
export interface SubgraphDelegation {
  audience: string;
  /** The scopes this subgraph may receive. */
  scopes: string[];
  /** Caller client ids this subgraph may serve; "*" for any. */
  allowedClients: string[];
  /** Entra ID on-behalf-of: the scope asked for (default `<audience>/.default`). */
  entraScope?: string;
}

/**
 * May this caller be served by this subgraph, and with which scopes? Returns the scopes to
 * request, sorted: the caller's scopes that the subgraph may receive (never more than the
 * caller holds, so an exchange never asks for an escalation), or, under `configured`, the
 * subgraph's scopes for the issuer to grant or refuse. The router decides no
 * permission inside a subgraph; this only bounds what a token can carry.
 */
export function checkDelegationPolicy(caller: Subject, subgraph: string, delegation: SubgraphDelegation, requestScopes: 'held' | 'configured' = 'held'): string[] {
  const allowed = delegation.allowedClients.includes('*') || delegation.allowedClients.includes(caller.clientId);
  if (!allowed) throw delegationDenied(subgraph, 'policy', `client '${caller.clientId}' may not be served by this subgraph`);
  // Another provider's user token holds the router's scopes, not the subgraphs': its own policy and consent decide.
  if (requestScopes === 'configured') return [...delegation.scopes].sort();
  const held = new Set(caller.scopes);
  return delegation.scopes.filter((scope) => held.has(scope)).sort();
}
