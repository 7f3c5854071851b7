import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { sample } from '../helpers/metrics.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

// Fetch deduplication end to end: the real auth server, subgraphs and router, with fault proxies
// in front of accounts and products that hold requests, so "in flight together" is a fact the
// test arranges (a request seen at the proxy, a join seen in the metrics), never a matter of timing.
// Counts are taken where the requests land: at the subgraphs (stack.received).

interface Body {
  data?: { me?: { id: string; username: string } | null; setPrice?: unknown };
  errors?: { extensions: Record<string, unknown> }[];
  extensions?: { delegationTrace?: DelegationTrace };
}

const ME = '{ me { id username } }';
const JOINED = 'deputy_subgraph_fetches_deduplicated_total{subgraph="accounts"}';

/** A stack whose accounts and products are each behind a fault proxy. */
async function proxiedStack(auth: TestAuth, deduplicate: boolean) {
  const proxies: Record<string, FaultProxy> = {};
  const stack = await startStack({
    auth,
    dataset: 'demo',
    routeSubgraph: async (name, url) => {
      if (name !== 'accounts' && name !== 'products') return url;
      proxies[name] = await startFaultProxy(new URL(url).origin);
      return `${proxies[name].origin}/graphql`;
    },
    routerConfig: (config) => ({ ...config, traffic: { deduplicateFetches: deduplicate } }),
  });
  return { stack, proxies };
}

/** Holds every request the proxy sees (that `applies`) until `release()` forwards them, or `fail()` drops them. */
function hold(proxy: FaultProxy, applies?: (body: string) => boolean) {
  let release!: () => void;
  let fail!: (error: Error) => void;
  const until = new Promise<void>((resolve, reject) => ((release = resolve), (fail = reject)));
  until.catch(() => undefined);
  proxy.set({ kind: 'hold', until }, applies);
  return { release, fail };
}

describe('fetch deduplication', () => {
  let auth: TestAuth;
  let on: Awaited<ReturnType<typeof proxiedStack>>;
  let off: Awaited<ReturnType<typeof proxiedStack>>;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    auth = await startAuth();
    [on, off] = await Promise.all([proxiedStack(auth, true), proxiedStack(auth, false)]);
    [alice, bob] = await Promise.all([auth.userToken('alice'), auth.userToken('bob')]);
  });
  afterAll(async () => {
    for (const setup of [on, off]) {
      await setup?.stack.stop();
      await Promise.all(Object.values(setup?.proxies ?? {}).map((proxy) => proxy.stop()));
    }
    await auth?.stop();
  });

  const post = (stack: TestStack, token: string, query: string, traced = false) =>
    postGraphQL(stack.router.url, { query }, { authorization: `Bearer ${token}`, ...(traced ? { 'x-delegation-trace': '1' } : {}) }).then((response) => ({ status: response.status, ...(response.json() as Body) }));
  const joined = async (stack: TestStack) => sample(await (await fetch(stack.router.metricsUrl)).text(), JOINED);
  const arrivals = (stack: TestStack, subgraph: string) => stack.received.filter((request) => request.subgraph === subgraph);

  /**
   * One user's two identical requests, the second sent once the first is held at accounts; with
   * deduplication the second joins (seen in the metrics), without it it reaches the proxy too.
   * `settle` then ends the held request.
   */
  async function twoIdentical({ stack, proxies }: typeof on, deduplicate: boolean, settle: (held: ReturnType<typeof hold>) => void) {
    const proxy = proxies.accounts;
    const [hitsBefore, joinedBefore, arrivedBefore] = [proxy.hits(), await joined(stack), arrivals(stack, 'accounts').length];
    const held = hold(proxy);
    const first = post(stack, alice, ME, true);
    await expect.poll(() => proxy.hits()).toBe(hitsBefore + 1);
    const second = post(stack, alice, ME, true);
    if (deduplicate) await expect.poll(() => joined(stack)).toBe(joinedBefore + 1);
    else await expect.poll(() => proxy.hits()).toBe(hitsBefore + 2);
    settle(held);
    const answers = await Promise.all([first, second]);
    proxy.set({ kind: 'pass' });
    return { answers, subgraphRequests: arrivals(stack, 'accounts').length - arrivedBefore };
  }

  it('makes one subgraph request for two identical concurrent requests of one user, where without it makes two', async () => {
    const shared = await twoIdentical(on, true, (held) => held.release());
    const separate = await twoIdentical(off, false, (held) => held.release());
    expect(shared.subgraphRequests).toBe(1);
    expect(separate.subgraphRequests).toBe(2);
    for (const { answers } of [shared, separate]) {
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.me?.username).toBe('alice');
      }
    }
  });

  it('marks the shared fetch in the trace of the request that joined, not in the one whose request went out', async () => {
    const { answers } = await twoIdentical(on, true, (held) => held.release());
    const [sent, joinedFetch] = answers.map((answer) => answer.extensions!.delegationTrace!.fetches.find((fetch) => fetch.subgraph === 'accounts')!);
    expect(sent.deduplicated).toBeUndefined();
    expect(joinedFetch).toMatchObject({ deduplicated: true, outcome: 'ok', resolvedFields: sent.resolvedFields });
    expect(joinedFetch.token?.fingerprint).toBe(sent.token?.fingerprint);
  });

  it('hands an error of the shared request to both requests alike', async () => {
    const { answers, subgraphRequests } = await twoIdentical(on, true, (held) => held.fail(new Error('dropped')));
    expect(subgraphRequests).toBe(0);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.data?.me).toBeNull();
      expect(answer.errors?.map((error) => error.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'accounts', reason: 'unreachable' }]);
    }
    const [sent, joinedFetch] = answers.map((answer) => answer.extensions!.delegationTrace!.fetches.find((fetch) => fetch.subgraph === 'accounts')!);
    expect(sent).toMatchObject({ outcome: 'unavailable', reason: 'unreachable' });
    expect(joinedFetch).toMatchObject({ deduplicated: true, outcome: 'unavailable', reason: 'unreachable' });
  });

  it("never shares between two users: each subgraph request carries its own user's token, each answer its own user's data", async () => {
    const { stack, proxies } = on;
    const proxy = proxies.accounts;
    const [hitsBefore, joinedBefore, arrivedBefore] = [proxy.hits(), await joined(stack), arrivals(stack, 'accounts').length];
    const held = hold(proxy);
    const answers = [post(stack, alice, ME), post(stack, bob, ME)];
    await expect.poll(() => proxy.hits()).toBe(hitsBefore + 2);
    held.release();
    const [forAlice, forBob] = await Promise.all(answers);
    proxy.set({ kind: 'pass' });
    expect(forAlice.data?.me?.username).toBe('alice');
    expect(forBob.data?.me?.username).toBe('bob');
    const subjects = arrivals(stack, 'accounts')
      .slice(arrivedBefore)
      .map((request) => claimsOf(request.authorization[0].replace(/^Bearer /, '')).sub);
    expect(subjects.sort()).toEqual(['alice', 'bob']);
    expect(await joined(stack)).toBe(joinedBefore);
  });

  it('never shares a mutation, even two identical ones of one user in flight together', async () => {
    const { stack, proxies } = on;
    const proxy = proxies.products;
    const mutation = 'mutation { setPrice(upc: "1", price: 899) { upc } }';
    const [hitsBefore, arrivedBefore] = [proxy.hits(), arrivals(stack, 'products').length];
    const held = hold(proxy, (body) => body.includes('setPrice'));
    const answers = [post(stack, alice, mutation), post(stack, alice, mutation)];
    await expect.poll(() => proxy.hits()).toBe(hitsBefore + 2);
    held.release();
    for (const answer of await Promise.all(answers)) expect(answer.status).toBe(200);
    proxy.set({ kind: 'pass' });
    expect(arrivals(stack, 'products').length - arrivedBefore).toBe(2);
  });
});
