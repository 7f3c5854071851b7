import { answerError, postJson, type Fetch, type JsonAnswer } from './postJson.js';
import type { CallResults, DelegateCall } from './delegateCall.js';

/** Where the broker is and how this service authenticates to it. */
export interface BrokerEndpoint {
  /** The router's POST /delegate URL (a function: in tests the router starts after the subgraphs). */
  url: () => string;
  /** This service's own token for the router. */
  token: () => Promise<string>;
  timeoutMs: number;
}

/**
 * One POST /delegate for calls that share subject, target, scopes and trace: the single form
 * (`request`) for one call, the batch form (`requests`, answered `{ results }`) for several.
 * A failure of the whole request is thrown; a failed operation of a batch is its own result.
 */
export async function postDelegate(fetchFn: Fetch, broker: BrokerEndpoint, calls: DelegateCall[]): Promise<CallResults> {
  const [first] = calls;
  const operation = (call: DelegateCall) => ({ query: call.query, variables: call.variables, operationName: call.operationName });
  const shared = { subjectToken: first.subjectToken, target: first.target, scopes: first.scopes };
  const body =
    calls.length === 1 ? { ...shared, request: operation(first), field: first.field } : { ...shared, requests: calls.map((call) => ({ ...operation(call), field: call.field })) };
  const answer = await postJson(
    fetchFn,
    broker.url(),
    {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await broker.token()}`, ...(first.traceparent ? { traceparent: first.traceparent } : {}) },
      body: JSON.stringify(body),
      timeoutMs: broker.timeoutMs,
    },
    'BROKER_UNREACHABLE',
  );
  if (answer.status !== 200) throw answerError(answer, 'the broker');
  if (calls.length === 1) return [answer.body];
  const results = answer.body.results as { status: number; body: JsonAnswer['body'] }[];
  return results.map((result) => (result.status === 200 ? result.body : answerError(result, 'the target')));
}
