import { InFlight } from './inFlight.js';
import { fetchShareKey } from './fetchShareKey.js';

/** An HTTP client with fetch's shape (the subgraph fetch: timeout and size limit included). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** A subgraph's answer read to its end once, so each request sharing it gets a Response of its own. */
interface ReadAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

async function readAnswer(pending: Promise<Response>): Promise<ReadAnswer> {
  const response = await pending;
  const body = await response.arrayBuffer();
  return { status: response.status, statusText: response.statusText, headers: [...response.headers], body };
}

// A fresh Response per request (the Fetch standard copies a byte body into it): each parses its
// own copy of the body, nothing mutable is shared.
function responseOf(answer: ReadAnswer): Response {
  return new Response(answer.body.byteLength === 0 ? null : answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
}

/**
 * One subgraph's shared fetches: identical fetches (same key) in flight together make one HTTP
 * request. The request belongs to none of them (its only deadline is the subgraph's timeout), so
 * one request giving up cannot cut it short for the others; its failure (unreachable, timeout,
 * response too large) reaches every one of them alike, and a non-2xx answer reaches each as its
 * own Response.
 */
export class SharedFetches {
  private readonly inFlight = new InFlight<ReadAnswer>();

  constructor(private readonly fetch: Fetch) {}

  /**
   * The fetch function for one fetch that may share: it sends, or joins the identical request in
   * flight (fetchShareKey of what it sends), and then calls `onJoined`.
   */
  fetcherFor(onJoined: () => void): Fetch {
    return async (url, init) => {
      const key = fetchShareKey({ url, headers: init.headers as Record<string, string>, body: init.body as string });
      const { result, joined } = this.inFlight.run(key, () => readAnswer(this.fetch(url, init)));
      if (joined) onJoined();
      return responseOf(await result);
    };
  }

  /** How many shared fetches are in flight. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
