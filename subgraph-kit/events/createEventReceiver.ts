import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RevocationList } from '../../lib/securityEvents/revocationList.js';
import type { Revocation } from '../../lib/securityEvents/revocation.js';
import type { SecurityEventPolicy } from '../../lib/securityEvents/verifySecurityEvent.js';
import { receiveSecurityEvent, type DeliveryReport } from '../../lib/securityEvents/receiveSecurityEvent.js';
import { DEFAULT_SET_BODY_LIMIT, nodeEventHandler } from '../../lib/securityEvents/nodeEventHandler.js';
import { readFetchBody } from './readFetchBody.js';

/** A subgraph's receiver of the issuer's security events, for whichever HTTP server serves it. */
export interface SecurityEventReceiver {
  /** POST /events as a Node.js handler: node:http, or Express (`app.post('/events', receiver.node)`). */
  node(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** POST /events with the Fetch API: GraphQL Yoga (`useSecurityEvents`), or any fetch server. */
  fetch(request: Request): Promise<Response>;
}

/** What a receiver checks SETs against and where it records their revocations. */
export interface EventReceiverOptions {
  /** The issuer, audience, keys, algorithms and skew a SET must match (the verifier's own). */
  policy: SecurityEventPolicy;
  revocations: RevocationList;
  /** Largest SET accepted; default 64 KiB. */
  maxBodyBytes?: number;
  /** Told how each delivery ended (for your metrics or audit); never the SET itself. */
  onDelivery?(report: DeliveryReport): void;
}

/**
 * An RFC 8935 push receiver: a SET verified against the issuer's keys with this subgraph's
 * audience, its CAEP session-revoked and token-claims-change events recorded in `revocations`
 * (which the verifier consults on every request); 202, or 400 with `err` and `description`.
 */
export function createEventReceiver(options: EventReceiverOptions): SecurityEventReceiver {
  const limit = options.maxBodyBytes ?? DEFAULT_SET_BODY_LIMIT;
  const receiving = { policy: options.policy, apply: (revocation: Revocation) => options.revocations.record(revocation), observe: options.onDelivery };
  return {
    node: nodeEventHandler({ ...receiving, maxBodyBytes: limit }),
    async fetch(request) {
      const answer = await receiveSecurityEvent({ method: request.method, contentType: request.headers.get('content-type'), readBody: () => readFetchBody(request, limit) }, receiving);
      return new Response(answer.body === '' ? null : answer.body, { status: answer.status, headers: answer.headers });
    },
  };
}
