import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** An HTTP answer read to its end: status, headers (as node:http gives them, `rawHeaders` pairs) and the body text. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Header names and values, alternating, as received. */
  rawHeaders: string[];
  body: string;
}

/** One POST: its headers, body, deadline for the whole round trip and largest body accepted. */
export interface HttpPostRequest {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  maxBytes: number;
}

/** The connections a POST may use: kept alive, one pool per origin. */
export interface HttpAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** Sends a POST and reads its answer (HttpAnswer); rejects with a TimeoutError, a ResponseTooLargeError or a network error. */
export type HttpPost = (url: string, request: HttpPostRequest) => Promise<HttpAnswer>;

/** No answer within the deadline (named like the DOMException fetch would throw). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** An answer whose body exceeds the limit, by its declared length or while it streams. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

/** Kept-alive connections with no limit on their number per origin, as fetch's are. */
export function keepAliveAgents(https: ConstructorParameters<typeof HttpsAgent>[0] = {}): HttpAgents {
  return { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true, ...https }) };
}

const sharedAgents = keepAliveAgents();

/** A kept-alive connection the server had already closed: the request never reached it. */
class StaleConnectionError extends Error {}

/** How many times a request goes out again after finding its kept-alive connection closed. */
const STALE_RETRIES = 2;

/**
 * A POST over node:http(s). fetch builds WHATWG streams, a Request, a Response and an AbortSignal
 * for every request, which a router sending many small requests pays in CPU; this builds none.
 * A redirect is not followed (its 3xx is the answer): no host the configuration does not name
 * is ever called. A request sent on a kept-alive connection that the server closed while it sat
 * idle (the reset comes before any answer) goes out again, at most twice, within the same
 * deadline: Node's documented remedy for that race; any other failure is final.
 */
export async function httpPost(url: string, request: HttpPostRequest, agents: HttpAgents = sharedAgents): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error(`unsupported protocol ${target.protocol}`);
  const deadline = performance.now() + request.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await postOnce(target, request, agents, deadline);
    } catch (error) {
      if (!(error instanceof StaleConnectionError) || attempt >= STALE_RETRIES) throw error instanceof StaleConnectionError ? (error.cause as Error) : error;
    }
  }
}

function postOnce(target: URL, request: HttpPostRequest, agents: HttpAgents, deadline: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const options = { method: 'POST', headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) } };
    let responded = false;
    const settle = (error: Error | undefined, answer?: HttpAnswer) => {
      clearTimeout(timer);
      if (!error) resolve(answer!);
      // Reset on a reused connection before any answer: the server closed it idle, as this was sent.
      else if (outgoing.reusedSocket && !responded && !(error instanceof TimeoutError) && isReset(error)) reject(new StaleConnectionError('stale kept-alive connection', { cause: error }));
      else reject(error);
    };
    const onResponse = (response: IncomingMessage) => {
      responded = true;
      readAnswer(response, request.maxBytes).then(
        (answer) => settle(undefined, answer),
        (error: Error) => {
          // Too large or cut off: the rest is not read, the connection goes.
          outgoing.destroy();
          settle(error);
        },
      );
    };
    const outgoing = target.protocol === 'https:' ? httpsRequest(target, { ...options, agent: agents.https }, onResponse) : httpRequest(target, { ...options, agent: agents.http }, onResponse);
    // One deadline for the whole round trip, headers and body (and any retry).
    const remaining = Math.max(0, deadline - performance.now());
    const timer = setTimeout(() => outgoing.destroy(new TimeoutError(`no answer within ${request.timeoutMs} ms`)), remaining);
    outgoing.on('error', settle);
    outgoing.on('close', () => {
      if (!responded) settle(Object.assign(new Error('the connection closed before an answer came'), { code: 'ECONNRESET' }));
    });
    outgoing.end(request.body);
  });
}

function isReset(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function readAnswer(response: IncomingMessage, maxBytes: number): Promise<HttpAnswer> {
  if (Number(response.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(new ResponseTooLargeError(`the answer declares more than ${maxBytes} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) reject(new ResponseTooLargeError(`the answer exceeds ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    response.on('error', reject);
    // The connection went before the body ended.
    response.on('close', () => {
      if (!response.complete) reject(new Error('the answer was cut off'));
    });
    response.on('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', rawHeaders: response.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
  });
}
