import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEMO_USERS } from '../../auth-server/demoIdentities.js';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { proxySubgraph, type Fault, type FaultProxy } from '../helpers/faultProxy.js';

// A bounded soak: a few thousand requests from many user sessions, 16 at a time, with
// inventory faults injected for stretches of it. No request may hang, every answer is a
// typed one, the token cache stays within its bound, and the heap comes back near where it
// started.

const REQUESTS = 3000;
const CONCURRENCY = 16;
/** The requests must be done by then (a few minutes on a busy machine); a hang bound, not a speed target. */
const DEADLINE_MS = 300_000;
const SESSIONS_PER_USER = 6;
const CACHE_BOUND = 40;
/** A request unanswered after this counts as hung: far beyond every timeout the router is given (300 ms here), and beyond a busy machine's slowness (5 s was reached with another process keeping a core busy). */
const HANG_MS = 15_000;
// The injected faults give SUBGRAPH_UNAVAILABLE; on a loaded machine an exchange may also time out.
const TYPED_FAILURES = new Set(['SUBGRAPH_UNAVAILABLE', 'DELEGATION_UNAVAILABLE']);
const QUERY = JSON.stringify({ query: '{ topProducts { name inStock } }' });

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledHeap = async () => {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
};

/** The fault for request number `n` (stretches of dropped connections, slowness past the timeout, 500s). */
function faultAt(n: number): Fault {
  if (n >= 1000 && n < 1300) return { kind: 'drop' };
  if (n >= 1800 && n < 1900) return { kind: 'delay', ms: 1000 };
  if (n >= 2400 && n < 2600) return { kind: 'answer', status: 500, body: '{}' };
  return { kind: 'pass' };
}

describe('soak: thousands of requests, many users, faults injected', () => {
  let stack: TestStack;
  let proxy: FaultProxy;
  let tokens: string[] = [];

  beforeAll(async () => {
    stack = await startStack({
      routeSubgraph: proxySubgraph('inventory', (started) => (proxy = started)),
      routerConfig: (config) => ({
        ...config,
        exchange: { ...config.exchange, cache: { maxEntries: CACHE_BOUND } },
        subgraphs: { ...config.subgraphs, inventory: { ...config.subgraphs.inventory, timeoutMs: 300 } },
      }),
    });
    for (let round = 0; round < SESSIONS_PER_USER; round += 1) {
      tokens = tokens.concat(await Promise.all(DEMO_USERS.map((user) => stack.auth.userToken(user))));
    }
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  const send = async (n: number) => {
    const response = await fetch(stack.router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
      body: QUERY,
      signal: AbortSignal.timeout(HANG_MS),
    });
    return { status: response.status, body: (await response.json()) as { errors?: { extensions: { code: string } }[] } };
  };

  it('answers every request, typed, with a bounded cache and the heap back near its start', async () => {
    for (let n = 0; n < 200; n += 1) await send(n);
    stack.received.length = 0;
    stack.audit.length = 0;
    stack.auth.issued.length = 0;
    const heap = [await settledHeap()];

    const started = Date.now();
    const outcomes = { ok: 0, typedErrors: 0, hung: 0, other: [] as string[] };
    let next = 0;
    const worker = (until: number) => async () => {
      while (next < until && Date.now() - started < DEADLINE_MS) {
        const n = next++;
        proxy.set(faultAt(n));
        // The harness's own records (subgraph requests, audit events, issued tokens) are not the router's memory.
        if (stack.received.length > 500) stack.received.length = 0;
        if (stack.audit.length > 500) stack.audit.length = 0;
        if (stack.auth.issued.length > 500) stack.auth.issued.length = 0;
        try {
          const { status, body } = await send(n);
          const codes = (body.errors ?? []).map((error) => error.extensions.code);
          if (status === 200 && codes.length === 0) outcomes.ok += 1;
          else if (status === 200 && codes.every((code) => TYPED_FAILURES.has(code))) outcomes.typedErrors += 1;
          else outcomes.other.push(`${status} ${codes.join(',')}`);
        } catch (error) {
          if ((error as Error).name === 'TimeoutError') outcomes.hung += 1;
          else outcomes.other.push((error as Error).name);
        }
      }
    };
    // Two halves: the first warms every cache to its bound, the second must not grow further.
    for (const until of [REQUESTS / 2, REQUESTS]) {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker(until)));
      heap.push(await settledHeap());
    }
    proxy.set({ kind: 'pass' });

    expect(next).toBe(REQUESTS);
    expect(outcomes.hung).toBe(0);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.ok + outcomes.typedErrors).toBe(REQUESTS);
    expect(outcomes.typedErrors).toBeGreaterThan(300);
    expect(stack.router.exchanger.cacheSize).toBeLessThanOrEqual(CACHE_BOUND);

    const [start, middle, end] = heap.map((bytes) => bytes / 1024 / 1024);
    console.info(`soak: ${REQUESTS} requests in ${Date.now() - started} ms, ${outcomes.typedErrors} with typed errors, heap ${start.toFixed(1)} -> ${middle.toFixed(1)} -> ${end.toFixed(1)} MiB`);
    expect(end - start).toBeLessThan(24);
    expect(end - middle).toBeLessThan(8);
    // The requests' deadline, then the heap settling after forced GC.
  }, DEADLINE_MS + 60_000);
});
