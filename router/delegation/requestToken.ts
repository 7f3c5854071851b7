import type { Caller } from '../edge/authenticateCaller.js';
import type { RouterContext } from '../routerContext.js';
import type { SubgraphDelegation } from './checkDelegationPolicy.js';
import type { SubgraphToken, TokenBroker } from './tokenBroker.js';

/**
 * The token for one subgraph within one request: obtained once, then shared by every fetch
 * of that subgraph in the plan (a plan can fetch one subgraph many times).
 */
export function requestToken(
  context: RouterContext,
  caller: Caller,
  subgraph: string,
  delegation: SubgraphDelegation,
  broker: TokenBroker,
): Promise<SubgraphToken> {
  let pending = context.subgraphTokens.get(subgraph);
  if (!pending) {
    pending = broker.tokenFor(caller, subgraph, delegation);
    // A prefetch nobody awaits yet must not become an unhandled rejection; awaiters still see the error.
    pending.catch(() => undefined);
    context.subgraphTokens.set(subgraph, pending);
  }
  return pending;
}
