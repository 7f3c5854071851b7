import { randomUUID } from 'node:crypto';
import type { Revocation } from '../../lib/securityEvents/revocation.js';
import type { SharedRedis } from '../shared/sharedRedis.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';
import { readStoredRevocation } from './storedRevocation.js';

/** How long revocations are kept in Redis, how many, and how one another instance announced is applied here. */
export interface RevocationSharingOptions {
  /** How long a revocation is kept after its event, in ms (the longest token lifetime and the skew). */
  keepMs: number;
  /** Most revocations stored; the ones expiring first go beyond. */
  maxEntries: number;
  /** Applies a revocation another instance received (RevocationList.record; idempotent). */
  apply(revocation: Revocation): void;
  errors: SwallowedErrors;
}

/** What sharing gives the router: announce what it received, and catch up with the others. */
export interface RevocationSharing {
  /** Stores and announces a revocation this instance received; never rejects (kept and retried while Redis is away). */
  share(revocation: Revocation): Promise<void>;
  /** Reads every current revocation stored by any instance and applies it. */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Fans revocations out to every router instance through Redis: each one received here is added
 * to a sorted set (`<prefix>revocations`, scored by when it lapses, the key's TTL as long as the
 * longest-lived member) and announced on `<prefix>revocations:changed`. An instance applies what
 * others announce, and reads the set at start-up and after every (re)subscription, so one that
 * starts later or was away misses nothing. What this instance received while Redis was away is
 * stored when it returns.
 */
export function shareRevocations(redis: SharedRedis, prefix: string, options: RevocationSharingOptions): RevocationSharing {
  const instance = randomUUID();
  const key = `${prefix}revocations`;
  const channel = `${prefix}revocations:changed`;
  const unshared = new Map<string, Revocation>();

  const store = async (revocation: Revocation) => {
    const member = JSON.stringify(revocation);
    const now = Date.now();
    await redis.run((client) =>
      client
        .multi()
        .zAdd(key, { score: revocation.before * 1000 + options.keepMs, value: member })
        .zRemRangeByScore(key, '-inf', now)
        .zRemRangeByRank(key, 0, -(options.maxEntries + 1))
        // No member outlives this: its event is at most the skew ahead of now.
        .pExpire(key, options.keepMs * 2)
        .publish(channel, JSON.stringify({ instance, revocation }))
        .exec(),
    );
  };
  const share = (revocation: Revocation) => {
    const member = JSON.stringify(revocation);
    return store(revocation).then(
      () => {
        unshared.delete(member);
        options.errors.recovered('revocation_share');
      },
      (error: unknown) => {
        // Kept (bounded) and stored when Redis returns; this instance applied it already.
        if (unshared.size < options.maxEntries) unshared.set(member, revocation);
        options.errors.failed('revocation_share', error);
      },
    );
  };
  const catchUp = async () => {
    let stored: string[];
    try {
      stored = await redis.run((client) => client.zRangeByScore(key, Date.now(), '+inf'));
      options.errors.recovered('revocation_share');
    } catch (error) {
      options.errors.failed('revocation_share', error);
      return;
    }
    for (const member of stored) {
      const revocation = readStoredRevocation(member);
      if (revocation) options.apply(revocation);
    }
  };

  redis.onReconnect(() => {
    for (const revocation of [...unshared.values()]) void share(revocation);
  });
  const unfollow = redis.follow(
    channel,
    (message) => {
      const announced = readAnnouncement(message);
      if (!announced) {
        options.errors.failed('revocation_share', new Error('an announcement on the revocation channel is not one'));
        return;
      }
      if (announced.instance !== instance) options.apply(announced.revocation);
    },
    () => void catchUp(),
  );
  return { share, catchUp, stop: unfollow };
}

/** An announcement on the channel: the announcing instance and its revocation. */
function readAnnouncement(message: string): { instance: unknown; revocation: Revocation } | undefined {
  try {
    const parsed = JSON.parse(message) as { instance?: unknown; revocation?: unknown };
    const revocation = readStoredRevocation(parsed.revocation);
    return revocation && { instance: parsed.instance, revocation };
  } catch {
    return undefined;
  }
}
