import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { fetchFailureReason, subgraphFetch } from '../delegation/subgraphFetch.js';
import type { SubgraphResponse } from '../delegation/subgraphResponse.js';
import { endAfter, type OpenSpan } from '../observability/tracedSpan.js';

/**
 * Sends the caller's GraphQL operation to the target with the exchanged token, its response
 * capped like any subgraph response; a failure is 502 TARGET_FAILED with its reason.
 */
export async function callTarget(
  target: { name: string; url: string; maxResponseBytes: number },
  token: string,
  request: unknown,
  timeoutMs: number,
  traceparent?: string,
  span?: OpenSpan,
): Promise<unknown> {
  // The target keeps receiving the caller's traceparent (not this span's): the delegation trace
  // attributes a nested hop by the span id of the fetch that started the chain.
  const call = span?.openHttpClient('deputy.delegate_call', 'POST', target.url, { 'deputy.subgraph': target.name });
  return endAfter(call, () => send(target, token, request, timeoutMs, traceparent, call));
}

async function send(target: { name: string; url: string; maxResponseBytes: number }, token: string, request: unknown, timeoutMs: number, traceparent: string | undefined, call: OpenSpan | undefined): Promise<unknown> {
  let response: SubgraphResponse;
  try {
    response = await subgraphFetch(timeoutMs, target.maxResponseBytes)(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(traceparent ? { traceparent } : {}) },
      body: JSON.stringify(request),
    });
  } catch (error) {
    const reason = fetchFailureReason(error);
    throw brokerRefusal(502, ErrorCode.TARGET_FAILED, reason === 'unreachable' ? `${target.name} could not be reached` : `${target.name} failed: ${reason}`, { reason });
  }
  call?.responded(response.status);
  // A 400 is the target refusing the caller's operation (not valid for its schema, bad variables):
  // the caller's fault, answered 400 as /graphql would, not a 502 blaming the target.
  if (response.status === 400) throw brokerRefusal(400, ErrorCode.BAD_REQUEST, `${target.name} refused the operation as invalid`, { reason: 'http_400' });
  if (!response.ok) throw brokerRefusal(502, ErrorCode.TARGET_FAILED, `${target.name} answered ${response.status}`, { reason: `http_${response.status}` });
  try {
    return await response.json();
  } catch {
    throw brokerRefusal(502, ErrorCode.TARGET_FAILED, `${target.name} answered with something other than JSON`, { reason: 'bad_response' });
  }
}
