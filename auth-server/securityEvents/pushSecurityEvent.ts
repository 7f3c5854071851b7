import { setTimeout as sleep } from 'node:timers/promises';

/** How one delivery ended: `accepted` (2xx), `refused` (the receiver said no: not retried), `failed` (every attempt failed). */
export interface DeliveryOutcome {
  outcome: 'accepted' | 'refused' | 'failed';
  attempts: number;
  /** The receiver's last HTTP status, when it answered. */
  status?: number;
  /** RFC 8935 §2.3 `err` of a 400, or why the last attempt failed (`ECONNREFUSED`, `TimeoutError`, `status 503`). */
  error?: string;
  /** The receiver's `description` of a 400, cut short. */
  description?: string;
}

/** How hard to try: attempts in all, the first retry's delay (doubling after), and each attempt's timeout. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  timeoutMs: number;
}

/** Four attempts, retries after 250, 500 and 1000 ms: a receiver restarting is reached, a dead one costs under 2 s of trying. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 250, timeoutMs: 2000 };

const MAX_ERROR_BODY = 4096;

type Attempt = DeliveryOutcome & { retry: boolean };

/**
 * Push delivery (RFC 8935 §2): POSTs the compact SET as `application/secevent+jwt`, asking for
 * JSON. A 2xx is success (202 Accepted is the spec's); a 400 carries `{err, description}` and is
 * final, as is any other 4xx or redirect (never followed: only the configured URL is called);
 * network errors, timeouts, 429 and 5xx are retried with backoff, at most `policy.attempts` in all.
 */
export async function pushSecurityEvent(url: string, set: string, policy: RetryPolicy, signal: AbortSignal): Promise<DeliveryOutcome> {
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    const { retry, ...result } = await attemptOnce(url, set, policy.timeoutMs, signal);
    if (!retry || attempt >= policy.attempts || signal.aborted) return { ...result, attempts: attempt };
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return { ...result, attempts: attempt };
    }
    delay *= 2;
  }
}

async function attemptOnce(url: string, set: string, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
      body: set,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { outcome: 'failed', attempts: 0, error: cause?.code ?? (error as Error).name, retry: true };
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    await response.body?.cancel();
    return { outcome: 'accepted', attempts: 0, status, retry: false };
  }
  if (status === 429 || status >= 500) {
    await response.body?.cancel();
    return { outcome: 'failed', attempts: 0, status, error: `status ${status}`, retry: true };
  }
  const reason = status === 400 ? await errorBody(response) : (await response.body?.cancel(), {});
  return { outcome: 'refused', attempts: 0, status, error: reason.err ?? `status ${status}`, ...(reason.description ? { description: reason.description } : {}), retry: false };
}

/** RFC 8935 §2.3: a 400's JSON body names the error (`err`) and describes it; read bounded, trusted for nothing. */
async function errorBody(response: Response): Promise<{ err?: string; description?: string }> {
  try {
    const text = await readBounded(response, MAX_ERROR_BODY);
    const body = JSON.parse(text) as { err?: unknown; description?: unknown };
    const err = typeof body.err === 'string' && /^[\w.-]{1,64}$/.test(body.err) ? body.err : undefined;
    const description = typeof body.description === 'string' ? body.description.slice(0, 200) : undefined;
    return { err, description };
  } catch {
    return {};
  }
}

/** The first `limit` bytes of a body at most (the rest is never read). */
async function readBounded(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
