/** One client's authorization in one login session, as oidc-provider records it. */
export interface SessionEntry {
  /** The session id in that client's tokens (`sid`): one per client per login session. */
  sid: string;
  accountId: string;
  clientId: string;
  grantId: string;
  /** The login session's `uid` (Session.findByUid). */
  sessionUid: string;
}

/**
 * Which grant and login session each `sid` belongs to. A JWT access token names only its sid;
 * revoking it must end that grant, and oidc-provider keeps no index from sid to grant. One entry
 * per signed-in client, kept as long as a grant can live.
 */
export class SessionIndex {
  readonly #bySid = new Map<string, SessionEntry & { until: number }>();
  readonly #sidByGrant = new Map<string, string>();

  constructor(private readonly ttlSeconds: number) {}

  #prunedAt = 0;

  /** Called for every user token issued: the same entry again costs a map write (expired ones are dropped once a minute). */
  remember(entry: SessionEntry): void {
    const now = Date.now();
    if (now - this.#prunedAt > 60_000) {
      this.#prunedAt = now;
      for (const [sid, known] of this.#bySid) if (known.until < now) this.forget(sid);
    }
    this.#bySid.set(entry.sid, { ...entry, until: now + this.ttlSeconds * 1000 });
    this.#sidByGrant.set(entry.grantId, entry.sid);
  }

  bySid(sid: string): SessionEntry | undefined {
    return this.#bySid.get(sid);
  }

  byGrant(grantId: string): SessionEntry | undefined {
    const sid = this.#sidByGrant.get(grantId);
    return sid === undefined ? undefined : this.#bySid.get(sid);
  }

  forget(sid: string): void {
    const entry = this.#bySid.get(sid);
    if (!entry) return;
    this.#bySid.delete(sid);
    if (this.#sidByGrant.get(entry.grantId) === sid) this.#sidByGrant.delete(entry.grantId);
  }
}
