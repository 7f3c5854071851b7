import { decodeJwt } from 'jose';
import { fingerprint } from '../../lib/fingerprint.js';
import type { ActClaim } from '../../lib/verifyAccessToken.js';
import type { ExchangeResult } from './exchangeToken.js';

/** An exchanged token and what traces may say about it (never the token itself). */
export interface IssuedToken {
  token: string;
  scopes: string[];
  /** The token's exp, seconds since the epoch. */
  exp: number;
  jti: string;
  /** First 12 hex digits of its SHA-256: enough to tell tokens apart in a trace. */
  fingerprint: string;
  /** The `act` chain, outermost (current) actor first. */
  actorChain: string[];
  /**
   * Who says so: `issuer` when the token carries an `act` claim; `router` when it carries none
   * (Entra ID's on-behalf-of tokens, opaque tokens) and the chain is the one the router knows:
   * the service it brokered for, if any, then itself.
   */
  actorChainAssertedBy: 'issuer' | 'router';
}

/**
 * Reads the identity of a token the authorization server just issued (decoded once, not
 * verified: the subgraph verifies). `knownChain` is the chain the router itself made, used when
 * the token states none.
 */
export function describeIssuedToken(result: ExchangeResult, knownChain: string[], now = Date.now()): IssuedToken {
  let claims: { jti?: unknown; uti?: unknown; act?: ActClaim } = {};
  try {
    claims = decodeJwt(result.token) as typeof claims;
  } catch {
    // An opaque token from another provider: it still works, the trace just knows less.
  }
  const actorChain: string[] = [];
  for (let act = claims.act; act; act = act.act) actorChain.push(act.sub);
  const assertedByIssuer = actorChain.length > 0;
  // Entra ID names its token id uti.
  const jti = typeof claims.jti === 'string' ? claims.jti : typeof claims.uti === 'string' ? claims.uti : '';
  return {
    token: result.token,
    scopes: result.scopes,
    exp: Math.floor(now / 1000) + result.expiresIn,
    jti,
    fingerprint: fingerprint(result.token).slice(0, 12),
    actorChain: assertedByIssuer ? actorChain : knownChain,
    actorChainAssertedBy: assertedByIssuer ? 'issuer' : 'router',
  };
}
