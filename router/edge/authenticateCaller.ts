import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { VerifiedTokenCache } from '../../lib/verifiedTokenCache.js';
import { tokenKey } from '../../lib/tokenKey.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';

/** The verified caller. The raw token is kept only to be the subject of exchanges. */
export interface Caller extends VerifiedToken {
  token: string;
  /** SHA-256 of the token (hex): what logs, traces and cache keys use instead of it. */
  fingerprint: string;
}

/** Authenticates one request: the caller, or undefined for an anonymous request when allowed; else InvalidTokenError. */
export type CallerAuthenticator = (req: IncomingMessage) => Promise<Caller | undefined>;

/**
 * Edge verification: a user's token for the router. A verified token is remembered by its SHA-256 until its exp, so a
 * user's following requests skip the signature check (the warm path).
 */
export function createCallerAuthenticator(policy: AccessTokenPolicy, allowAnonymous: boolean): CallerAuthenticator {
  const verified = new VerifiedTokenCache();
  return async (req) => {
    const token = bearerToken(req);
    if (token === undefined) {
      if (allowAnonymous) return undefined;
      throw new InvalidTokenError('missing_token');
    }
    // Cache and exchanges are keyed by what the issuer signed: a respelled token is the same token.
    const key = tokenKey(token);
    let claims = verified.get(key);
    if (!claims) {
      claims = await verifyAccessToken(token, policy);
      // A client's own token (client credentials: sub = client_id) is no user's: nobody to act for.
      if (claims.sub === claims.clientId) throw new InvalidTokenError('not_a_user');
      verified.set(key, claims);
    }
    return { ...claims, token, fingerprint: key };
  };
}
