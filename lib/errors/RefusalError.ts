import type { ErrorCodeValue } from './errorCodes.js';

/** What a refusal is made of; `details` are further `extensions` the client reads (limit, rule...). */
export interface RefusalInit {
  status: number;
  code: ErrorCodeValue;
  message: string;
  /** A stable, machine-readable reason (`extensions.reason`), e.g. `token_expired`. */
  reason?: string;
  details?: Record<string, unknown>;
  /** What kind of refusal, for logs and stack traces (e.g. `DelegationDenied`); default `RefusalError`. */
  name?: string;
  cause?: unknown;
}

/**
 * A refusal sent to a client: an HTTP status, a stable code from ERROR_CODES, an optional
 * stable reason and details. Every endpoint answers one the same way (`extensionsOf`).
 * Start-up failures (ConfigError, PortInUseError) and internal signals (RedisUnavailableError,
 * SubgraphFetchError) are not refusals: they never reach a client as such.
 */
export class RefusalError extends Error {
  readonly status: number;
  readonly code: ErrorCodeValue;
  readonly reason?: string;
  readonly details: Record<string, unknown>;

  constructor(init: RefusalInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = init.name ?? 'RefusalError';
    this.status = init.status;
    this.code = init.code;
    this.reason = init.reason;
    this.details = init.details ?? {};
  }

  /** The GraphQL `extensions` of this refusal: its code, its reason when it has one, and its details. */
  get extensions(): Record<string, unknown> {
    return { code: this.code, ...(this.reason === undefined ? {} : { reason: this.reason }), ...this.details };
  }
}

/** Whether `error` is a refusal, and when `code` is given, one with that code. */
export function isRefusal(error: unknown, code?: ErrorCodeValue): error is RefusalError {
  return error instanceof RefusalError && (code === undefined || error.code === code);
}
