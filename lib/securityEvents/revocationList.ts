import { identifiersOf, type RevocableToken, type Revocation } from './revocation.js';

/** How long revocations are kept and how many. */
export interface RevocationListOptions {
  /** The longest a token of the issuer lives, in seconds: a revocation is kept this long after its event. */
  maxTokenLifetimeSeconds: number;
  /** Most revocations held; beyond, the oldest are forgotten (counted in `dropped`). Default 100,000. */
  maxEntries?: number;
  /** Clock skew the verifiers allow on `exp`, in seconds; a revocation outlives the tokens it names by this much. Default 5. */
  clockToleranceSeconds?: number;
}

interface Entry {
  before: number;
  expiresAt: number;
}

const nowSeconds = () => Date.now() / 1000;

/**
 * The revocations an issuer announced, by session and by user, each kept until every token it
 * names has expired (its time plus the longest token lifetime), and bounded in number. Recording
 * is idempotent: a replayed SET, or an event older than one already held, changes nothing and
 * returns false. Listeners hear each revocation that changed the list (caches evict by it).
 */
export class RevocationList {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: ((revocation: Revocation) => void)[] = [];
  private readonly maxEntries: number;
  private readonly keepSeconds: number;
  /** Revocations forgotten before their time because the list was full. */
  dropped = 0;

  constructor(options: RevocationListOptions) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.keepSeconds = options.maxTokenLifetimeSeconds + (options.clockToleranceSeconds ?? 5);
  }

  /** Records a revocation; true when it changed the list (listeners are told), false when it was known or has lapsed. */
  record(revocation: Revocation, now = nowSeconds()): boolean {
    const expiresAt = revocation.before + this.keepSeconds;
    // Every token it could name has expired already (an old event, or a replay of one).
    if (expiresAt <= now) return false;
    let changed = false;
    for (const key of keysOf(revocation)) changed = this.raise(key, revocation.before, expiresAt, now) || changed;
    if (!changed) return false;
    this.bound(now);
    for (const listener of this.listeners) listener(revocation);
    return true;
  }

  /** Whether a verified token is revoked: its session's or its user's revocation is at or after its `iat`. */
  isRevoked(token: RevocableToken, now = nowSeconds()): boolean {
    const { sub, sid, iat } = identifiersOf(token);
    const keys = [`sub\n${sub}`, sid === undefined ? `sessionless\n${sub}` : `sid\n${sid}`];
    return keys.some((key) => {
      const entry = this.entries.get(key);
      return entry !== undefined && entry.expiresAt > now && iat <= entry.before;
    });
  }

  /** Calls `listener` with each revocation that changes the list from now on. */
  onRevoke(listener: (revocation: Revocation) => void): void {
    this.listeners.push(listener);
  }

  /** Revocations held (by session, by user, and by user for tokens without a session id). */
  get size(): number {
    return this.entries.size;
  }

  /** Raises one key's revocation time; true when it moved. A moved entry goes last (the most recent). */
  private raise(key: string, before: number, expiresAt: number, now: number): boolean {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now && entry.before >= before) return false;
    this.entries.delete(key);
    this.entries.set(key, { before, expiresAt });
    return true;
  }

  /** Keeps at most maxEntries: lapsed entries go first, then the least recently raised. */
  private bound(now: number): void {
    if (this.entries.size <= this.maxEntries) return;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
      this.dropped += 1;
    }
  }
}

/** The keys a revocation is held under: its session (and its user's session-less tokens), or its user. */
function keysOf(revocation: Revocation): string[] {
  if (revocation.sid === undefined) return revocation.sub === undefined ? [] : [`sub\n${revocation.sub}`];
  return [`sid\n${revocation.sid}`, ...(revocation.sub === undefined ? [] : [`sessionless\n${revocation.sub}`])];
}
