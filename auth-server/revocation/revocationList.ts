import type { VerifiedToken } from '../../lib/verifyAccessToken.js';

/** Why one of our tokens no longer counts. */
export type RevocationReason = 'token_revoked' | 'session_revoked' | 'claims_changed';

/**
 * What this server has revoked, so it never exchanges a revoked token (RFC 8693 subject or
 * actor): JWT access tokens cannot be recalled, only refused. Each entry lives as long as a
 * token it covers can: a token until its `exp`; a session, or a subject's claims change, for
 * `horizonSeconds` (the longest a user token lives; no token with that sid is issued after).
 */
export class RevocationList {
  readonly #tokens = new Map<string, number>();
  readonly #sessions = new Map<string, number>();
  /** sub -> [when the claims changed, until when it matters], seconds. */
  readonly #claimsChanges = new Map<string, [number, number]>();

  constructor(private readonly horizonSeconds: number) {}

  revokeToken(jti: string, exp: number): void {
    this.#prune();
    this.#tokens.set(jti, exp);
  }

  revokeSession(sid: string): void {
    this.#prune();
    this.#sessions.set(sid, now() + this.horizonSeconds);
  }

  /** Tokens of `sub` issued at or before now carry the old claims (same-second tokens included: safer refused). */
  changeClaims(sub: string): void {
    this.#prune();
    this.#claimsChanges.set(sub, [now(), now() + this.horizonSeconds]);
  }

  /** Why `token` is revoked, or undefined when it is not. */
  reasonRevoked(token: Pick<VerifiedToken, 'jti' | 'sub' | 'claims'>): RevocationReason | undefined {
    if (this.#tokens.has(token.jti)) return 'token_revoked';
    const { sid, iat } = token.claims;
    if (typeof sid === 'string' && this.#sessions.has(sid)) return 'session_revoked';
    const change = this.#claimsChanges.get(token.sub);
    if (change && (typeof iat !== 'number' || iat <= change[0])) return 'claims_changed';
    return undefined;
  }

  #prune(): void {
    const at = now();
    for (const [key, until] of this.#tokens) if (until < at) this.#tokens.delete(key);
    for (const [key, until] of this.#sessions) if (until < at) this.#sessions.delete(key);
    for (const [key, [, until]] of this.#claimsChanges) if (until < at) this.#claimsChanges.delete(key);
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
