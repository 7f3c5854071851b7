import type { Caller } from './edge/authenticateCaller.js';
import type { SubgraphToken } from './delegation/tokenBroker.js';

/** The per-request context the router's gateway hooks see. */
export interface RouterContext {
  /** The verified caller; undefined only for an anonymous request when anonymous access is on. */
  caller?: Caller;
  /** This request's subgraph tokens, by subgraph: every fetch of one subgraph shares one. */
  subgraphTokens: Map<string, Promise<SubgraphToken>>;
}
