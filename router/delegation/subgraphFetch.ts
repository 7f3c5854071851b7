/** Why a subgraph fetch failed before a usable HTTP response arrived (a stable reason). */
export class SubgraphFetchError extends Error {
  constructor(readonly reason: 'response_too_large') {
    super(`subgraph fetch failed: ${reason}`);
  }
}

/** The stable reason of a failed subgraph fetch: timeout, response_too_large, invalid_response or unreachable. */
export function fetchFailureReason(error: unknown): string {
  if (error instanceof SubgraphFetchError) return error.reason;
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  // A body that is not JSON: a SyntaxError from response.json(), or the gateway's own check.
  if (name === 'SyntaxError' || /Expected JSON response body/.test(String((error as Error | undefined)?.message))) return 'invalid_response';
  return 'unreachable';
}

/**
 * fetch for one subgraph: the whole round trip (headers and body) within `timeoutMs`, and a
 * body over `maxBytes` refused: by its declared length, or while it streams when it declares
 * none, so a huge answer cannot exhaust memory.
 */
export function subgraphFetch(timeoutMs: number, maxBytes: number, client: typeof fetch = fetch) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    // redirect 'error': a subgraph's redirect is never followed to a host nobody configured, and
    // fetch then sends the request as it is instead of cloning it (and teeing its body) first.
    const response = await client(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    const declared = response.headers.get('content-length');
    if (declared !== null && Number(declared) > maxBytes) {
      await response.body?.cancel();
      throw new SubgraphFetchError('response_too_large');
    }
    // A declared length within the limit is held to by the HTTP client: no copy needed (the usual case).
    if (declared !== null) return response;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader!.cancel();
        throw new SubgraphFetchError('response_too_large');
      }
      chunks.push(read.value);
    }
    return new Response(size === 0 ? null : Buffer.concat(chunks), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
