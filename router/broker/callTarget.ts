import { BrokerError } from './brokerError.js';

/** Sends the caller's GraphQL operation to the target with the exchanged token; a failure is 502 TARGET_FAILED. */
export async function callTarget(
  target: { name: string; url: string },
  token: string,
  request: unknown,
  timeoutMs: number,
  traceparent?: string,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(traceparent ? { traceparent } : {}) },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new BrokerError(502, 'TARGET_FAILED', `${target.name} could not be reached`, { reason: 'unreachable' });
  }
  if (!response.ok) throw new BrokerError(502, 'TARGET_FAILED', `${target.name} answered ${response.status}`, { reason: `http_${response.status}` });
  try {
    return await response.json();
  } catch {
    throw new BrokerError(502, 'TARGET_FAILED', `${target.name} answered with something other than JSON`, { reason: 'bad_response' });
  }
}
