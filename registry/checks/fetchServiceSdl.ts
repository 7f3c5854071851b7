import { ServiceSdlError, displayUrl } from './serviceSdlError.js';

/** The only operation sent: what a subgraph lets an SDL reader run. */
const SERVICE_SDL_QUERY = '{ _service { sdl } }';

export interface FetchServiceSdlOptions {
  /** Connection, answer and body together; default 10 s. */
  timeoutMs?: number;
  /** Ends the request early (SERVICE_UNREACHABLE, reason `aborted`). */
  signal?: AbortSignal;
  /** Largest answer read, checked while the body streams; default 16 MiB. */
  maxResponseBytes?: number;
}

type GraphQLAnswer = { data?: { _service?: { sdl?: unknown } | null } | null; errors?: { extensions?: { code?: unknown; reason?: unknown } }[] };

/** The body as text, refusing past `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `UNAUTHENTICATED/not_delegated` from the first error the service sent, when it said so. */
function serviceReasonOf(answer: GraphQLAnswer | undefined): string | undefined {
  const extensions = answer?.errors?.[0]?.extensions;
  const parts = [extensions?.code, extensions?.reason].filter((part): part is string => typeof part === 'string' && /^[\w.-]{1,64}$/.test(part));
  return parts.length > 0 ? parts.join('/') : undefined;
}

function parseAnswer(text: string): GraphQLAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as GraphQLAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks a running subgraph for its SDL (`{ _service { sdl } }`, POST, `Authorization: Bearer
 * <token>`) and returns it. Throws ServiceSdlError: SERVICE_UNREACHABLE for no connection, a
 * timeout or an abort; SERVICE_REFUSED for a non-2xx answer (a redirect included: none is
 * followed), GraphQL errors or no SDL. No message names the token.
 */
export async function fetchServiceSdl(url: string, token: string, options: FetchServiceSdlOptions = {}): Promise<string> {
  const shown = displayUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const refused = (reason: string, what: string, status?: number, serviceReason?: string) =>
    new ServiceSdlError('SERVICE_REFUSED', reason, shown, `${shown} did not give its SDL: ${what}${serviceReason ? ` (${serviceReason})` : ''}`, status, serviceReason);
  let response: Response;
  let text: string | undefined;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SERVICE_SDL_QUERY }),
      redirect: 'manual',
      signal,
    });
    text = await readLimited(response, options.maxResponseBytes ?? 16 * 1024 * 1024);
  } catch {
    // The cause is not kept: a fetch error's cause can carry the request it failed on.
    const reason = timeout.aborted ? 'timeout' : options.signal?.aborted ? 'aborted' : 'unreachable';
    const what = reason === 'timeout' ? `no answer within ${timeoutMs} ms` : reason === 'aborted' ? 'the request was aborted' : 'could not connect';
    throw new ServiceSdlError('SERVICE_UNREACHABLE', reason, shown, `${shown} could not be asked for its SDL: ${what}`);
  }
  if (text === undefined) throw refused('response_too_large', 'its answer is too large', response.status);
  const answer = parseAnswer(text);
  if (response.status < 200 || response.status > 299) throw refused(`http_${response.status}`, `HTTP ${response.status}`, response.status, serviceReasonOf(answer));
  if (!answer) throw refused('invalid_response', 'its answer is not JSON', response.status);
  if (answer.errors?.length) throw refused('graphql_errors', 'it answered with errors', response.status, serviceReasonOf(answer));
  const sdl = answer.data?._service?.sdl;
  if (typeof sdl !== 'string') throw refused('invalid_response', 'its answer holds no _service.sdl', response.status);
  return sdl;
}
