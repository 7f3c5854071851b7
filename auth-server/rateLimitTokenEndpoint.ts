import type { IncomingMessage, ServerResponse } from 'node:http';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A sustained rate and a burst. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** How a token request ended, as the provider saw it. */
export interface TokenOutcome {
  /** The client that authenticated, if one did. */
  client?: string;
  /** It authenticated with no secret (a public client): anyone can claim it, so it is keyed by address. */
  publicClient?: boolean;
  /** Client authentication failed (invalid_client). */
  failedAuthentication: boolean;
}

/** How long an address is trusted for a client after that client authenticated from it (ms). */
const KNOWN_GOOD_MS = 10 * 60_000;
const MAX_BUCKETS = 10_000;

/**
 * The client id a token request claims (Basic user, or `client_id` in the query), for the
 * pre-check only: never trusted for charging, and never throwing on malformed input.
 */
export function claimedClientId(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^basic /i.test(header)) {
    try {
      const user = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':')[0];
      return decodeURIComponent(user.replace(/\+/g, '%20'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Token endpoint rate limits that an attacker cannot spend for others:
 * - authenticated traffic is charged to the authenticated client (public clients, and clients
 *   not using Basic authentication: to the source address),
 *   after the provider has authenticated it, so attempts in a client's name cost that client nothing;
 * - failed client authentications are charged to the source address, in their own bucket; once
 *   it is empty, that address is refused except for clients that authenticated from it recently.
 * Over a limit: 429 with Retry-After and an OAuth-shaped body.
 */
export function createTokenRateLimiter(clients: Rate, failures: Rate) {
  const buckets = new Map<string, Bucket>();
  const knownGood = new Map<string, number>();

  const level = (key: string, rate: Rate, now: number): Bucket => {
    const bucket = buckets.get(key) ?? { tokens: rate.burst, updatedAt: now };
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate.perSecond);
    bucket.updatedAt = now;
    if (!buckets.has(key)) {
      // Full buckets carry no state worth keeping: drop them when the map grows large.
      if (buckets.size >= MAX_BUCKETS) for (const [k, b] of buckets) if (b.tokens >= rate.burst) buckets.delete(k);
      buckets.set(key, bucket);
    }
    return bucket;
  };
  const refuse = (res: ServerResponse, bucket: Bucket, rate: Rate) => {
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond));
    res.statusCode = 429;
    res.setHeader('retry-after', String(retryAfter));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: `too many token requests; retry after ${retryAfter} s` }));
    return false;
  };
  const address = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

  return {
    /** Before the provider runs: false when the request was answered here with 429. */
    admit(req: IncomingMessage, res: ServerResponse): boolean {
      const now = Date.now();
      const claimed = claimedClientId(req);
      // A request without Basic credentials is a public client's (or a client_secret_post one's): keyed by address.
      const clientKey = claimed !== undefined ? `client:${claimed}` : `public@${address(req)}`;
      const bucket = buckets.get(clientKey) && level(clientKey, clients, now);
      if (bucket && bucket.tokens < 1) return refuse(res, bucket, clients);
      const failed = buckets.get(`fail:${address(req)}`) && level(`fail:${address(req)}`, failures, now);
      const trusted = claimed !== undefined && (knownGood.get(`${claimed}@${address(req)}`) ?? 0) > now;
      if (failed && failed.tokens < 1 && !trusted) return refuse(res, failed, failures);
      return true;
    },
    /** After the provider answered: charges the authenticated client, or the address for a failed authentication. */
    settle(req: IncomingMessage, outcome: TokenOutcome): void {
      const now = Date.now();
      if (outcome.failedAuthentication) {
        level(`fail:${address(req)}`, failures, now).tokens -= 1;
        return;
      }
      if (!outcome.client) return;
      const key = outcome.publicClient || claimedClientId(req) === undefined ? `public@${address(req)}` : `client:${outcome.client}`;
      level(key, clients, now).tokens -= 1;
      if (!outcome.publicClient) {
        if (knownGood.size >= MAX_BUCKETS) knownGood.clear();
        knownGood.set(`${outcome.client}@${address(req)}`, now + KNOWN_GOOD_MS);
      }
    },
  };
}
