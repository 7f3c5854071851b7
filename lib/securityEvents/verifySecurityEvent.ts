import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { SecurityEventError, setRefusal } from './securityEventError.js';

/** What a pushed SET must be to be accepted by one recipient. */
export interface SecurityEventPolicy {
  /** The issuer, exactly as SETs name it in `iss`; its keys sign them. */
  issuer: string;
  /** This recipient's audience (or several names of it): a SET for another is refused. */
  audience: string | string[];
  /** The issuer's keys (lib/issuerKeys.ts remoteKeys, or a jose key function). */
  keys: JWTVerifyGetKey;
  /** Accepted signature algorithms: asymmetric only. */
  algorithms: string[];
  /** Clock skew allowed on `iat`, in seconds. */
  clockToleranceSeconds: number;
}

/** RFC 8417 §2.3: a SET is explicitly typed `secevent+jwt` (jose also accepts `application/secevent+jwt`). */
export const SET_TYPE = 'secevent+jwt';

const KEY_FAILURES = [joseErrors.JOSEAlgNotAllowed, joseErrors.JWKSNoMatchingKey, joseErrors.JWKSMultipleMatchingKeys, joseErrors.JWSSignatureVerificationFailed];

/** A jose failure as an RFC 8935 §2.4 refusal, or a 503 when the issuer's keys cannot be had now. */
function refusalOf(error: unknown): SecurityEventError {
  if (error instanceof SecurityEventError) return error;
  if (KEY_FAILURES.some((kind) => error instanceof kind)) return setRefusal('invalid_key', "the SET is not signed with one of the issuer's keys by an accepted algorithm");
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return new SecurityEventError(undefined, "the issuer's keys are unavailable; retry later", 503);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return setRefusal('invalid_issuer', 'the SET is from another issuer');
    if (error.claim === 'aud') return setRefusal('invalid_audience', 'the SET is for another audience');
    return setRefusal('invalid_request', `the SET's ${error.claim} ${error.reason === 'missing' ? 'claim is missing' : 'is invalid'}`);
  }
  if (error instanceof joseErrors.JWTExpired) return setRefusal('invalid_request', 'the SET has expired (exp)');
  return setRefusal('invalid_request', 'the body is not a signed JWT');
}

/**
 * Verifies a pushed Security Event Token (RFC 8417, delivered per RFC 8935): typ
 * `secevent+jwt`, exact `iss`, `aud` naming this recipient, a signature by one of the issuer's
 * keys with an accepted algorithm, `iat` present and not in the future beyond the skew, a `jti`
 * and `events`. SETs carry no `exp` and none is required. Rejects with SecurityEventError.
 */
export async function verifySecurityEvent(set: string, policy: SecurityEventPolicy): Promise<JWTPayload> {
  try {
    // The issuer and the type are told apart before the signature, so that another issuer's SET
    // (signed with keys we do not have) is refused as invalid_issuer, not invalid_key.
    let typ: unknown;
    let iss: unknown;
    try {
      typ = decodeProtectedHeader(set).typ;
      iss = decodeJwt(set).iss;
    } catch {
      throw setRefusal('invalid_request', 'the body is not a signed JWT');
    }
    if (typeof typ !== 'string' || typ.toLowerCase().replace(/^application\//, '') !== SET_TYPE) throw setRefusal('invalid_request', 'the SET must be typed secevent+jwt');
    if (iss !== policy.issuer) throw setRefusal('invalid_issuer', 'the SET is from another issuer');
    const { payload } = await jwtVerify(set, policy.keys, {
      issuer: policy.issuer,
      audience: policy.audience,
      algorithms: policy.algorithms,
      typ: SET_TYPE,
      clockTolerance: policy.clockToleranceSeconds,
      requiredClaims: ['iss', 'aud', 'iat', 'jti', 'events'],
    });
    if (Number(payload.iat) > Date.now() / 1000 + policy.clockToleranceSeconds) throw setRefusal('invalid_request', 'the SET was issued in the future (iat)');
    if (typeof payload.jti !== 'string' || payload.jti === '') throw setRefusal('invalid_request', 'the SET has no jti');
    return payload;
  } catch (error) {
    throw refusalOf(error);
  }
}
