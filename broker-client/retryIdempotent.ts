import { BrokerCallError } from './BrokerCallError.js';
import { isQuery, type CallResults, type DelegateCall, type SendCalls } from './delegateCall.js';

/**
 * A failure that may pass: the broker not answering, the authorization server unavailable
 * (503), the target unreachable or failing (502, except an answer over its size cap, which
 * would be as large again). A 4xx is the caller's or the policy's answer and stays.
 */
export function isTransient(error: Error): boolean {
  if (!(error instanceof BrokerCallError)) return false;
  if (error.code === 'BROKER_UNREACHABLE') return true;
  if (error.status === 503) return true;
  return error.status === 502 && error.reason !== 'response_too_large';
}

/**
 * Sends the calls, then once more those that are queries and failed transiently (a mutation
 * is never sent twice: it may have taken effect). A failure of the whole send is each call's.
 */
export function retryIdempotent(send: SendCalls): SendCalls {
  const attempt = async (calls: DelegateCall[]): Promise<CallResults> => {
    try {
      return await send(calls);
    } catch (error) {
      return calls.map(() => error as Error);
    }
  };
  return async (calls) => {
    const results = await attempt(calls);
    const again = calls.flatMap((call, i) => {
      const result = results[i];
      return result instanceof Error && isTransient(result) && isQuery(call) ? [i] : [];
    });
    if (again.length === 0) return results;
    const retried = await attempt(again.map((i) => calls[i]));
    again.forEach((index, j) => (results[index] = retried[j]));
    return results;
  };
}
