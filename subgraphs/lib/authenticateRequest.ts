import type { IncomingMessage } from 'node:http';
import { tokenKey } from '../../lib/tokenKey.js';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import { VerifiedTokenCache } from '../../lib/verifiedTokenCache.js';

/** Verifies the bearer token a subgraph receives: its own audience only (RFC 9068), issued through delegation. */
export type RequestAuthenticator = (req: IncomingMessage) => Promise<VerifiedToken>;

/**
 * Builds the authenticator of one subgraph; a missing or invalid token throws InvalidTokenError,
 * and so does `accept` for a valid token the subgraph does not take (checkDelegation, lib/).
 */
export function createRequestAuthenticator(policy: AccessTokenPolicy, accept: (token: VerifiedToken) => void): RequestAuthenticator {
  const cache = new VerifiedTokenCache();
  return async (req) => {
    const token = bearerToken(req);
    if (token === undefined) throw new InvalidTokenError('missing_token');
    const key = tokenKey(token);
    const cached = cache.get(key);
    if (cached) return cached;
    const verified = await verifyAccessToken(token, policy);
    accept(verified);
    cache.set(key, verified);
    return verified;
  };
}
