/** A refused or failed /delegate call: an HTTP status, a stable code, and for policy denials the rule. */
export class BrokerError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details: { rule?: string; reason?: string; retryAfterSeconds?: number; limit?: number; cost?: number } = {},
  ) {
    super(message);
  }
}
