import { InFlight } from './inFlight.js';
import { fetchShareKey } from './fetchShareKey.js';
import type { SubgraphFetch } from './subgraphFetch.js';
import type { SubgraphResponse } from './subgraphResponse.js';

/**
 * One subgraph's shared fetches: identical fetches (same key) in flight together make one HTTP
 * request. The request belongs to none of them (its only deadline is the subgraph's timeout), so
 * one request giving up cannot cut it short for the others; its failure (unreachable, timeout,
 * response too large) reaches every one of them alike, and a non-2xx answer reaches each as its
 * own Response.
 */
export class SharedFetches {
  private readonly inFlight = new InFlight<SubgraphResponse>();

  constructor(private readonly fetch: SubgraphFetch) {}

  /**
   * The fetch function for one fetch that may share: it sends, or joins the identical request in
   * flight (fetchShareKey of what it sends), and then calls `onJoined`.
   */
  fetcherFor(onJoined: () => void): SubgraphFetch {
    return async (url, init) => {
      const key = fetchShareKey({ url, headers: init.headers ?? {}, body: init.body ?? '' });
      const { result, joined } = this.inFlight.run(key, () => this.fetch(url, init));
      if (joined) onJoined();
      // A Response of its own for each fetch: each parses its own copy of the body.
      return (await result).clone();
    };
  }

  /** How many shared fetches are in flight. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
