import { InvalidTokenError, type TokenRejection } from './tokenRejection.js';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { acceptedAudiences, acceptsType, firstString, RFC9068_PROFILE, scopesOf, type TokenProfile } from './tokenProfile.js';

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
  /** The audience the token must hold (any of several); undefined only for an authorization server checking its own tokens. */
  audience: string | string[] | undefined;
  /** Where the issuer puts typ, client, scopes and token id; default RFC 9068 (lib/tokenProfile.ts). */
  profile?: TokenProfile;
  algorithms: string[];
  clockToleranceSeconds: number;
  /** The issuer's keys; see remoteKeys (lib/issuerKeys.ts). */
  keys: JWTVerifyGetKey;
}

/** Signature algorithms accepted by default: asymmetric only (RFC 8725 §3.1: never none, never HMAC with a public key). */
export const DEFAULT_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];


const CLAIM_REJECTIONS: Record<string, TokenRejection> = { iss: 'wrong_issuer', aud: 'wrong_audience', typ: 'wrong_type', nbf: 'not_yet_valid' };

function reasonOf(error: unknown, token: string, profile: TokenProfile): TokenRejection {
  if (error instanceof InvalidTokenError) return error.reason;
  // A claim is checked only once the signature held; the type is reported before any claim, as jose's own typ check would be.
  if ((error instanceof joseErrors.JWTClaimValidationFailed || error instanceof joseErrors.JWTExpired) && !acceptsType(profile, decodeProtectedHeader(token).typ)) return 'wrong_type';
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

/**
 * Verifies an access token per RFC 9068 §4 as the issuer's profile spells it: an accepted
 * typ, exact iss, own aud, exp/nbf/iat, alg allowlist, and the profile's subject, client and
 * token id claims present.
 */
export async function verifyAccessToken(token: string, policy: AccessTokenPolicy): Promise<VerifiedToken> {
  const profile = policy.profile ?? RFC9068_PROFILE;
  try {
    const { payload, protectedHeader } = await jwtVerify(token, policy.keys, {
      issuer: policy.issuer,
      audience: policy.audience === undefined ? undefined : acceptedAudiences(profile, policy.audience),
      algorithms: policy.algorithms,
      clockTolerance: policy.clockToleranceSeconds,
      requiredClaims: ['iss', 'aud', 'exp', 'iat'],
    });
    // RFC 8725 §3.11: a token of another type (an ID token, say) is never taken for an access token.
    if (!acceptsType(profile, protectedHeader.typ)) throw new InvalidTokenError('wrong_type');
    // jose checks iat only against a maximum age; a token minted in the future is refused here.
    if (Number(payload.iat) > Date.now() / 1000 + policy.clockToleranceSeconds) throw new InvalidTokenError('issued_in_future');
    const sub = firstString(payload, [profile.subject]);
    const clientId = firstString(payload, profile.clientId);
    const jti = firstString(payload, profile.tokenId);
    if (sub === undefined || clientId === undefined || jti === undefined) throw new InvalidTokenError('missing_claim');
    return { sub, clientId, scopes: scopesOf(payload, profile), exp: Number(payload.exp), jti, act: payload.act as ActClaim | undefined, claims: payload };
  } catch (error) {
    throw new InvalidTokenError(reasonOf(error, token, profile));
  }
}

export { InvalidTokenError } from './tokenRejection.js';
export { remoteKeys } from './issuerKeys.js';
