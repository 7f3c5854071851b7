import type { VerifiedToken } from '../../lib/verifyAccessToken.js';
import type { DecisionLog } from '../../subgraph-kit/rules/decisionLog.js';

/** What a subgraph's resolvers see of the request. */
export interface SubgraphContext {
  /** The verified token; undefined only when the subgraph runs without authentication. */
  auth?: VerifiedToken;
  /** The raw token, only to hand to the broker when this service calls another for the same user. */
  token?: string;
  /** The incoming W3C traceparent, passed on to brokered calls. */
  traceparent?: string;
  /** The outermost actor of the token's `act` chain: the only one policy may use (RFC 8693 §4.1). */
  actor?: string;
  decisions: DecisionLog;
  /** Authentication is off (DEPUTY_SUBGRAPH_AUTH=off, the benchmark's floor): rules are not applied. */
  open?: boolean;
}
