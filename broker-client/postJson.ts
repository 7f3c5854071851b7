import { BrokerCallError } from './BrokerCallError.js';

/** The fetch the client uses: the global one by default, a fake in unit tests. */
export type Fetch = typeof fetch;

/** A JSON answer and its status. */
export interface JsonAnswer {
  status: number;
  body: { errors?: { message?: string; extensions?: { code?: string; reason?: string } }[] } & Record<string, unknown>;
}

/**
 * POSTs a JSON (or form) body and reads the JSON answer. No answer at all (refused, reset,
 * timed out) or one that is not JSON is `unreachable`'s code: the other side is not there.
 */
export async function postJson(fetchFn: Fetch, url: string, init: { headers: Record<string, string>; body: string; timeoutMs: number }, unreachable: string): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetchFn(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
  } catch (error) {
    throw new BrokerCallError(unreachable, `${new URL(url).origin} could not be reached`, { cause: error });
  }
  try {
    return { status: response.status, body: (await response.json()) as JsonAnswer['body'] };
  } catch (error) {
    throw new BrokerCallError(unreachable, `${new URL(url).origin} answered ${response.status} with something other than JSON`, { status: response.status, cause: error });
  }
}

/** The error an unsuccessful answer carries: its first error's code, else HTTP_<status>. */
export function answerError(answer: JsonAnswer, what: string): BrokerCallError {
  const first = answer.body.errors?.[0];
  return new BrokerCallError(first?.extensions?.code ?? `HTTP_${answer.status}`, first?.message ?? `${what} answered ${answer.status}`, { status: answer.status, reason: first?.extensions?.reason });
}
