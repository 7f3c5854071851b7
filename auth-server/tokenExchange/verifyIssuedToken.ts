import { errors } from 'oidc-provider';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';

export type VerifyOptions = Omit<AccessTokenPolicy, 'audience'>;

/**
 * Verifies a subject or actor token as one of this server's RFC 9068 access tokens
 * (signature with our own keys, exact iss, typ at+jwt, exp/nbf, required claims). Failure is
 * `invalid_request` (RFC 8693 §2.2.2) naming the parameter and the reason, never the token.
 */
export async function verifyIssuedToken(token: string, parameter: string, options: VerifyOptions): Promise<VerifiedToken> {
  try {
    return await verifyAccessToken(token, { ...options, audience: undefined });
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new errors.InvalidRequest(`${parameter} rejected: ${error.description}`);
    throw error;
  }
}
