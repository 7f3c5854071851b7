import { RefusalError } from './errors/RefusalError.js';
import { ErrorCode } from './errors/errorCodes.js';

/**
 * Why a token was refused: a stable, machine-readable reason (the `reason` of an
 * UNAUTHENTICATED error) and the sentence people read. Never the token itself.
 */
export const TOKEN_REJECTIONS = {
  missing_token: 'no bearer token',
  duplicate_authorization: 'more than one Authorization header',
  not_bearer: 'the Authorization header is not a Bearer token',
  token_too_large: 'token too large',
  malformed_token: 'malformed token',
  alg_not_allowed: 'signature algorithm not allowed',
  unknown_key: 'unknown signing key',
  invalid_signature: 'invalid signature',
  keys_unavailable: "the issuer's keys are unavailable",
  token_expired: 'token expired',
  not_yet_valid: 'token not valid yet (nbf)',
  issued_in_future: 'token issued in the future (iat)',
  wrong_issuer: 'token from an untrusted issuer',
  wrong_audience: 'token issued for another audience',
  wrong_type: 'not an access token (typ must be at+jwt)',
  missing_claim: 'a required claim is missing',
  invalid_claim: 'a claim is invalid',
  revoked: 'token revoked',
  token_revoked: 'token revoked by its issuer (the session ended or the claims changed)',
  introspection_unavailable: "the issuer's introspection endpoint is unavailable",
  not_a_service: 'not a registered service',
  not_a_user: "a client's own token, not a user's",
  not_delegated: 'not a delegation for a user (no act chain, or a client acting as itself)',
  actor_not_allowed: 'delegated by an actor this service does not accept',
} as const;

export type TokenRejection = keyof typeof TOKEN_REJECTIONS;

/**
 * Why a token was refused (a stable reason, never the token): a 401 UNAUTHENTICATED refusal.
 * A class of its own, not a factory, because it carries the RFC 6750 challenge with it.
 */
export class InvalidTokenError extends RefusalError {
  declare readonly reason: TokenRejection;
  constructor(reason: TokenRejection) {
    super({ status: 401, code: ErrorCode.UNAUTHENTICATED, reason, message: `Authentication required: ${TOKEN_REJECTIONS[reason]}`, name: 'InvalidTokenError' });
  }

  /** The reason in words, e.g. "token expired". */
  get description(): string {
    return TOKEN_REJECTIONS[this.reason];
  }

  /** The RFC 6750 §3 challenge for a 401 answering this error. */
  get challenge(): string {
    return `Bearer error="invalid_token", error_description="${this.description}"`;
  }
}
