/**
 * A refused or failed brokered call, with a stable code: the broker's (DELEGATION_DENIED,
 * TARGET_FAILED, DELEGATION_UNAVAILABLE...) or the client's own: BROKER_UNREACHABLE (no answer
 * from the router), BROKER_UNAVAILABLE (its circuit is open and no fallback applies),
 * SERVICE_UNAUTHENTICATED (no service token), FALLBACK_FAILED (the direct exchange or call failed).
 */
export class BrokerCallError extends Error {
  /** The HTTP status that carried it, when one did. */
  readonly status?: number;
  /** The broker's `reason`, when it gave one (e.g. `unreachable`, `response_too_large`). */
  readonly reason?: string;

  constructor(
    readonly code: string,
    message: string,
    details: { status?: number; reason?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'BrokerCallError';
    this.status = details.status;
    this.reason = details.reason;
  }
}
