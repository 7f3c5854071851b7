import type { VerifiedToken } from '../../lib/verifyAccessToken.js';

/**
 * The scopes a user consented to at login, carried along a delegation chain. A token for one
 * subgraph holds only that subgraph's scopes, yet a service acting further for the same user
 * (through the broker, or directly when the policy allows) may ask for the next target's
 * scopes within what the user consented to; the broker policy, the target's scopes and the
 * issued token's own narrowing still apply. Kept in memory until each token expires (the
 * embedded server's other state is in memory too); an unknown token counts only its own scopes.
 */
export class DelegableScopes {
  private readonly byJti = new Map<string, { scopes: string[]; exp: number }>();

  constructor(private readonly maxEntries = 100_000) {}

  /** What a subject token's user consented to: its own scopes for a user's token, the chain's for an exchanged one. */
  of(subject: VerifiedToken): string[] {
    if (!subject.act) return subject.scopes;
    const entry = this.byJti.get(subject.jti);
    return entry && entry.exp * 1000 > Date.now() ? entry.scopes : subject.scopes;
  }

  /** Records the consent an issued token carries, until it expires. */
  remember(jti: string, scopes: string[], exp: number): void {
    if (this.byJti.size >= this.maxEntries) this.prune();
    this.byJti.set(jti, { scopes, exp });
  }

  private prune(): void {
    const now = Date.now() / 1000;
    for (const [jti, entry] of this.byJti) if (entry.exp <= now) this.byJti.delete(jti);
    // Still full of live entries: forget the oldest (their tokens then carry only their own scopes).
    for (const jti of this.byJti.keys()) {
      if (this.byJti.size < this.maxEntries) break;
      this.byJti.delete(jti);
    }
  }
}
