import type { IncomingMessage, ServerResponse } from 'node:http';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Best-effort client id of a token request: Basic auth user, else unauthenticated. */
function clientKey(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic ')) {
    const user = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
    return decodeURIComponent(user);
  }
  // client_id in a form body or a client assertion: counted together with other such calls
  // from the same address rather than parsed twice.
  return `addr:${req.socket.remoteAddress}`;
}

/**
 * A token bucket per client at the token endpoint. Over the limit: 429 with Retry-After
 * and an OAuth-shaped error body. Returns false when the request was answered here.
 */
export function createTokenRateLimiter(perSecond: number, burst: number) {
  const buckets = new Map<string, Bucket>();
  return function allow(req: IncomingMessage, res: ServerResponse): boolean {
    const key = clientKey(req);
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = now;
    buckets.set(key, bucket);
    // Full buckets carry no state worth keeping: drop them when the map grows large.
    if (buckets.size > 10_000) for (const [k, b] of buckets) if (b.tokens >= burst) buckets.delete(k);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    res.statusCode = 429;
    res.setHeader('retry-after', String(retryAfter));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: `too many token requests; retry after ${retryAfter} s` }));
    return false;
  };
}
