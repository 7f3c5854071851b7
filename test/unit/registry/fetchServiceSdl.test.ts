import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchServiceSdl } from '../../../registry/checks/fetchServiceSdl.js';
import { ServiceSdlError } from '../../../registry/checks/serviceSdlError.js';

// fetchServiceSdl's answers to each way a service can fail, with fetch stubbed (the real
// subgraphs: test/registry/serviceSdl.test.ts).

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.secret-payload.signature';
const URL_ = 'http://products.test:4012/graphql';

afterEach(() => vi.unstubAllGlobals());

/** Stubs fetch with `answer`, recording what was sent. */
function serve(answer: (init: RequestInit) => Response | Promise<Response>) {
  const sent: RequestInit[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    sent.push(init);
    return answer(init);
  });
  return sent;
}

async function failure(promise: Promise<unknown>): Promise<ServiceSdlError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ServiceSdlError);
  // Never the token, in the message or anywhere else on the error.
  expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(TOKEN);
  return error as ServiceSdlError;
}

describe('fetchServiceSdl', () => {
  it('POSTs `{ _service { sdl } }` with the bearer token and returns the SDL', async () => {
    const sent = serve(() => Response.json({ data: { _service: { sdl: 'type Query { a: Int }' } } }));
    expect(await fetchServiceSdl(URL_, TOKEN)).toBe('type Query { a: Int }');
    expect(sent[0]).toMatchObject({ method: 'POST', redirect: 'manual', body: JSON.stringify({ query: '{ _service { sdl } }' }) });
    expect((sent[0].headers as Record<string, string>).authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each<[string, () => Response, string, string | undefined]>([
    ['a 401 with the reason', () => Response.json({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED', reason: 'not_delegated' } }] }, { status: 401 }), 'http_401', 'UNAUTHENTICATED/not_delegated'],
    ['a 500 with an HTML body', () => new Response('<html>oops</html>', { status: 500 }), 'http_500', undefined],
    ['a redirect (never followed)', () => new Response(null, { status: 302, headers: { location: 'http://elsewhere.test/' } }), 'http_302', undefined],
    ['GraphQL errors', () => Response.json({ errors: [{ message: 'Cannot query field "_service"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }), 'graphql_errors', 'GRAPHQL_VALIDATION_FAILED'],
    ['a body that is not JSON', () => new Response('ok'), 'invalid_response', undefined],
    ['no _service.sdl', () => Response.json({ data: { _service: null } }), 'invalid_response', undefined],
  ])('refuses %s as SERVICE_REFUSED, naming the URL', async (_what, answer, reason, serviceReason) => {
    serve(answer);
    const error = await failure(fetchServiceSdl(URL_, TOKEN));
    expect(error).toMatchObject({ code: 'SERVICE_REFUSED', reason, url: URL_, serviceReason });
    expect(error.message).toContain(URL_);
  });

  it('refuses an answer over maxResponseBytes as SERVICE_REFUSED response_too_large', async () => {
    serve(() => new Response('x'.repeat(2048)));
    expect(await failure(fetchServiceSdl(URL_, TOKEN, { maxResponseBytes: 1024 }))).toMatchObject({ code: 'SERVICE_REFUSED', reason: 'response_too_large' });
  });

  it('names no credentials of the URL', async () => {
    serve(() => new Response(null, { status: 404 }));
    const error = await failure(fetchServiceSdl('http://user:pass@products.test/graphql?key=k', TOKEN));
    expect(error.message).not.toMatch(/user|pass|key=/);
    expect(error.url).toBe('http://products.test/graphql');
  });

  it('reports a connection failure as SERVICE_UNREACHABLE unreachable', async () => {
    serve(() => {
      throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED, Authorization: Bearer ${TOKEN}`) });
    });
    const error = await failure(fetchServiceSdl(URL_, TOKEN));
    expect(error).toMatchObject({ code: 'SERVICE_UNREACHABLE', reason: 'unreachable' });
    expect(error.cause).toBeUndefined();
  });

  it('reports no answer within timeoutMs as SERVICE_UNREACHABLE timeout, and an abort as aborted', async () => {
    const hang = (init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    serve(hang);
    expect(await failure(fetchServiceSdl(URL_, TOKEN, { timeoutMs: 20 }))).toMatchObject({ code: 'SERVICE_UNREACHABLE', reason: 'timeout' });
    const controller = new AbortController();
    const pending = fetchServiceSdl(URL_, TOKEN, { signal: controller.signal });
    controller.abort();
    expect(await failure(pending)).toMatchObject({ code: 'SERVICE_UNREACHABLE', reason: 'aborted' });
  });
});
