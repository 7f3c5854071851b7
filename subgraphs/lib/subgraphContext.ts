import type { DecisionLog, DeputyContext } from '../../subgraph-kit/index.js';

/** What a demo subgraph's resolvers see of the request: the kit's context (`deputy`, decisions) and what the broker needs. */
export interface SubgraphContext extends DeputyContext {
  decisions: DecisionLog;
  /** The raw token, only to hand to the broker when this service calls another for the same user. */
  token?: string;
  /** The incoming W3C traceparent, passed on to brokered calls. */
  traceparent?: string;
}
