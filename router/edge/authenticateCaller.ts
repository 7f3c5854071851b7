import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { VerifiedTokenCache } from '../../lib/verifiedTokenCache.js';
import { tokenKey } from '../../lib/tokenKey.js';
import { fingerprint } from '../../lib/fingerprint.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import { revokes } from '../../lib/securityEvents/revocation.js';
import type { RevocationList } from '../../lib/securityEvents/revocationList.js';

/** The verified caller. The raw token is kept only to be the subject of exchanges. */
export interface Caller extends VerifiedToken {
  token: string;
  /** SHA-256 of the token (hex): what logs, traces and cache keys use instead of it. */
  fingerprint: string;
}

/** Authenticates one request: the caller, or undefined for an anonymous request when allowed; else InvalidTokenError. */
export type CallerAuthenticator = (req: IncomingMessage) => Promise<Caller | undefined>;

/** What the edge asks beyond the token itself: whether its issuer has revoked it since (router/revocation/). */
export interface EdgeRevocation {
  /** Revocations the issuer pushed: a revoked token is refused (token_revoked) and its cache entry evicted. */
  revocations?: Pick<RevocationList, 'isRevoked' | 'onRevoke'>;
  /**
   * RFC 7662 introspection (briefly cached): asked about every token; an inactive one is refused
   * (token_revoked). A token that is not a JWT is accepted through it alone, as it describes it.
   */
  introspection?: Introspection;
}

/** The edge's use of RFC 7662 introspection (router/revocation/createIntrospection.ts). */
export interface Introspection {
  /** Refuses a token its issuer no longer holds active (`token_revoked`). */
  confirmActive(token: string, key: string): Promise<void>;
  /** An opaque token's identity, as its issuer describes it. */
  identify(token: string, key: string): Promise<VerifiedToken>;
}

/**
 * Edge verification: a user's token for the router. A verified token is remembered by its SHA-256 until its exp, so a
 * user's following requests skip the signature check (the warm path); a revocation is checked on every request,
 * cache hits included, and evicts the entries it names.
 */
export function createCallerAuthenticator(policy: AccessTokenPolicy, allowAnonymous: boolean, revocation: EdgeRevocation = {}): CallerAuthenticator {
  const verified = new VerifiedTokenCache();
  const { revocations, introspection } = revocation;
  revocations?.onRevoke((revoked) => verified.deleteWhere((token) => revokes(revoked, token)));
  const verifyJwt = async (token: string, key: string): Promise<VerifiedToken> => {
    const cached = verified.get(key);
    if (cached) return cached;
    const claims = refuseClients(await verifyAccessToken(token, policy));
    verified.set(key, claims);
    return claims;
  };
  return async (req) => {
    const token = bearerToken(req);
    if (token === undefined) {
      if (allowAnonymous) return undefined;
      throw new InvalidTokenError('missing_token');
    }
    // An opaque token (not three segments) is known through introspection only.
    const opaque = introspection !== undefined && token.split('.').length !== 3;
    // Cache and exchanges are keyed by what the issuer signed: a respelled token is the same token.
    const key = opaque ? fingerprint(token) : tokenKey(token);
    const claims = opaque ? refuseClients(await introspection.identify(token, key)) : await verifyJwt(token, key);
    if (revocations?.isRevoked(claims)) throw new InvalidTokenError('token_revoked');
    // The issuer's word now: a JWT that verifies may have been revoked since it was issued.
    if (introspection && !opaque) await introspection.confirmActive(token, key);
    return { ...claims, token, fingerprint: key };
  };
}

/** A client's own token (client credentials: sub = client_id) is no user's: nobody to act for (not_a_user). */
function refuseClients(claims: VerifiedToken): VerifiedToken {
  if (claims.sub === claims.clientId) throw new InvalidTokenError('not_a_user');
  return claims;
}
