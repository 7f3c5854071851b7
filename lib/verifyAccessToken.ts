import { InvalidTokenError, type TokenRejection } from './tokenRejection.js';
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** RFC 8693 §4.1 actor claim: the current actor, with prior actors nested. */
export interface ActClaim {
  sub: string;
  act?: ActClaim;
}

/** A verified RFC 9068 access token, reduced to what Deputy uses. */
export interface VerifiedToken {
  sub: string;
  clientId: string;
  scopes: string[];
  /** Seconds since the epoch. */
  exp: number;
  jti: string;
  act?: ActClaim;
  claims: JWTPayload;
}


export interface AccessTokenPolicy {
  issuer: string;
  /** The audience the token must hold; undefined only for an authorization server checking its own tokens. */
  audience: string | undefined;
  algorithms: string[];
  clockToleranceSeconds: number;
  /** The issuer's keys; see remoteKeys (lib/issuerKeys.ts). */
  keys: JWTVerifyGetKey;
}

/** Signature algorithms accepted by default: asymmetric only (RFC 8725 §3.1: never none, never HMAC with a public key). */
export const DEFAULT_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];


const CLAIM_REJECTIONS: Record<string, TokenRejection> = { iss: 'wrong_issuer', aud: 'wrong_audience', typ: 'wrong_type', nbf: 'not_yet_valid' };

function reasonOf(error: unknown): TokenRejection {
  if (error instanceof InvalidTokenError) return error.reason;
  if (error instanceof joseErrors.JWTExpired) return 'token_expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing_claim';
    return CLAIM_REJECTIONS[error.claim] ?? 'invalid_claim';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'invalid_signature';
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return 'keys_unavailable';
  return 'malformed_token';
}

/** Verifies an access token per RFC 9068 §4: typ at+jwt, exact iss, own aud, exp/nbf/iat, alg allowlist, required claims. */
export async function verifyAccessToken(token: string, policy: AccessTokenPolicy): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, policy.keys, {
      issuer: policy.issuer,
      audience: policy.audience,
      typ: 'at+jwt',
      algorithms: policy.algorithms,
      clockTolerance: policy.clockToleranceSeconds,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
    });
    // jose checks iat only against a maximum age; a token minted in the future is refused here.
    if (Number(payload.iat) > Date.now() / 1000 + policy.clockToleranceSeconds) throw new InvalidTokenError('issued_in_future');
    return {
      sub: String(payload.sub),
      clientId: String(payload.client_id),
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      exp: Number(payload.exp),
      jti: String(payload.jti),
      act: payload.act as ActClaim | undefined,
      claims: payload,
    };
  } catch (error) {
    throw new InvalidTokenError(reasonOf(error));
  }
}

export { InvalidTokenError } from './tokenRejection.js';
export { remoteKeys } from './issuerKeys.js';
