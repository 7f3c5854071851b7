import { InvalidTokenError, type VerifiedToken } from './verifyAccessToken.js';
import { callersOf, type BrokerCallers } from './brokerPolicy.js';

/** What a subgraph accepts besides a valid token for its audience (README.md, "Authorization model"). */
export interface DelegationAcceptance {
  /** Who may be the most recent actor (outermost `act`): the router, and the broker callers the policy lets call this subgraph. */
  actors: readonly string[];
  /** Services this subgraph's configuration lets call it as themselves (no `act`, `sub` = `client_id`); none by default. */
  servicesAsThemselves: readonly string[];
  /**
   * For issuers that put no `act` in exchanged tokens (Entra ID on-behalf-of, Keycloak, Okta):
   * the client the token was issued to (`azp`, `cid`...) is the most recent actor. Off for the
   * embedded server, whose delegated tokens always state their chain.
   */
  clientIsActor?: boolean;
}

/**
 * What `subgraph` accepts under a broker policy: the router's client and the broker callers the
 * policy lets call it as actors, and the services named to call it as themselves (none by default).
 */
export function delegationAcceptance(subgraph: string, callers: BrokerCallers, routerClientId = 'deputy-router', servicesAsThemselves: string[] = []): DelegationAcceptance {
  return { actors: [routerClientId, ...Object.keys(callersOf(subgraph, callers))], servicesAsThemselves };
}

/**
 * A subgraph accepts a token issued through delegation for a user: an `act` chain whose most
 * recent actor it accepts (or, under `clientIsActor`, a client it accepts as the actor), and a
 * subject that is not a client acting as itself. Refused with
 * `not_delegated` or `actor_not_allowed` (401 UNAUTHENTICATED).
 */
export function checkDelegation(token: VerifiedToken, acceptance: DelegationAcceptance): void {
  const actor = token.act?.sub ?? (acceptance.clientIsActor && token.sub !== token.clientId ? token.clientId : undefined);
  if (actor === undefined) {
    if (token.sub === token.clientId && acceptance.servicesAsThemselves.includes(token.sub)) return;
    throw new InvalidTokenError('not_delegated');
  }
  if (!acceptance.actors.includes(actor)) throw new InvalidTokenError('actor_not_allowed');
  // A client's own token, delegated: no user stands behind it.
  if (token.sub === token.clientId) throw new InvalidTokenError('not_delegated');
}
