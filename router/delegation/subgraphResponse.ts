import type { HttpAnswer } from '../../lib/http/httpPost.js';

/**
 * A subgraph's answer, read to its end, in the shape @apollo/gateway's data source reads
 * (fetch's Response: status, headers, text(), json()). Built over the text already read, so no
 * stream is made per fetch; each instance parses its own copy of the body, so answers shared
 * by several fetches (fetch deduplication) share nothing mutable.
 */
export class SubgraphResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly headers: Headers;
  bodyUsed = false;

  constructor(
    readonly url: string,
    private readonly answer: HttpAnswer,
    headers?: Headers,
  ) {
    this.status = answer.status;
    this.statusText = answer.statusText;
    this.ok = answer.status >= 200 && answer.status <= 299;
    this.headers = headers ?? headersOf(answer.rawHeaders);
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.answer.body;
  }

  async json(): Promise<unknown> {
    this.bodyUsed = true;
    return JSON.parse(this.answer.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return new TextEncoder().encode(this.answer.body).buffer as ArrayBuffer;
  }

  /** The same answer for another reader (the headers, which nobody changes, are not copied). */
  clone(): SubgraphResponse {
    return new SubgraphResponse(this.url, this.answer, this.headers);
  }
}

function headersOf(rawHeaders: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.append(rawHeaders[i]!, rawHeaders[i + 1]!);
  return headers;
}
