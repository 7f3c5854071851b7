import type { RevocationEvent } from './caepEvents.js';

/**
 * What one CAEP event revokes: the tokens issued at or before `before` of a session (`sid`) or,
 * without a session, of a user (`sub`). A session revocation that also names its user revokes
 * that user's tokens carrying no `sid` too: they cannot be told apart from the session's (an
 * exchanged token, say), and refusing them is the safe side; the router exchanges anew.
 */
export interface Revocation {
  sub?: string;
  sid?: string;
  /** Epoch seconds: tokens issued at or before this are revoked. */
  before: number;
  event: RevocationEvent;
  /** The jti of the SET that carried it. */
  jti: string;
}

/** What a revocation is checked against: a verified token's subject and its claims (`sub`, `sid`, `iat`). */
export interface RevocableToken {
  sub: string;
  claims: Record<string, unknown>;
}

/** The identifiers of a token a revocation may name; `iat` is -Infinity when absent (it cannot be shown to be newer). */
export function identifiersOf(token: RevocableToken): { sub: string; sid?: string; iat: number } {
  const { claims } = token;
  return {
    // The issuer's `sub`, which an iss_sub subject names (a profile may read the user from another claim).
    sub: typeof claims.sub === 'string' ? claims.sub : token.sub,
    sid: typeof claims.sid === 'string' ? claims.sid : undefined,
    iat: typeof claims.iat === 'number' ? claims.iat : Number.NEGATIVE_INFINITY,
  };
}

/** Whether `revocation` revokes `token`. */
export function revokes(revocation: Revocation, token: RevocableToken): boolean {
  const { sub, sid, iat } = identifiersOf(token);
  if (iat > revocation.before) return false;
  if (revocation.sid === undefined) return revocation.sub === sub;
  return sid === revocation.sid || (sid === undefined && revocation.sub === sub);
}
