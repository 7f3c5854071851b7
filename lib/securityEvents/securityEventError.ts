/**
 * The error codes of RFC 8935 §2.4 (the IANA "Security Event Token Error Codes" registry), each
 * with what it means there.
 */
export const SET_ERRORS = {
  invalid_request: 'The request body cannot be parsed as a SET, or the event payload does not conform to its definition.',
  invalid_key: 'A key used to sign the SET is invalid or unacceptable.',
  invalid_issuer: 'The SET issuer is invalid for this recipient.',
  invalid_audience: 'The SET audience does not correspond to this recipient.',
  authentication_failed: 'The recipient could not authenticate the transmitter.',
  access_denied: 'The transmitter is not authorized to transmit the SET to this recipient.',
} as const;

/** An RFC 8935 §2.4 error code. */
export type SetErrorCode = keyof typeof SET_ERRORS;

/**
 * A refused SET delivery: the HTTP status, the RFC 8935 `err` code (none for a general HTTP
 * condition, such as keys that cannot be fetched now) and a description that never quotes the SET.
 */
export class SecurityEventError extends Error {
  override readonly name = 'SecurityEventError';

  constructor(
    readonly err: SetErrorCode | undefined,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

/** An RFC 8935 §2.3 failure: 400 with `err` and `description`. */
export function setRefusal(err: SetErrorCode, description: string): SecurityEventError {
  return new SecurityEventError(err, description);
}
