import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { errors } from 'oidc-provider';

/** An access token this server issued, verified. */
export interface IssuedTokenClaims extends JWTPayload {
  sub: string;
  exp: number;
  client_id: string;
  scope?: string;
  act?: ActClaim;
}

/** RFC 8693 §4.1 actor claim: the current actor, with prior actors nested. */
export interface ActClaim {
  sub: string;
  act?: ActClaim;
}

export interface VerifyOptions {
  issuer: string;
  keys: JWTVerifyGetKey;
  algorithms: string[];
}

function reason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'is expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'has an invalid signature';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `has an unacceptable '${error.claim}' claim`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'is signed with an algorithm that is not allowed';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'is signed with an unknown key';
  return 'is not a valid JWT access token';
}

/**
 * Verifies a subject or actor token as one of this server's RFC 9068 access tokens:
 * signature with our own keys, exact iss, typ at+jwt, exp/nbf, required claims. Any failure
 * is `invalid_request` (RFC 8693 §2.2.2) naming the parameter and the reason, never the token.
 */
export async function verifyIssuedToken(token: string, parameter: string, options: VerifyOptions): Promise<IssuedTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, options.keys, {
      issuer: options.issuer,
      typ: 'at+jwt',
      algorithms: options.algorithms,
      requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id', 'aud'],
    });
    return payload as IssuedTokenClaims;
  } catch (error) {
    throw new errors.InvalidRequest(`${parameter} ${reason(error)}`);
  }
}
