import { callersOf, type BrokerCallers } from '../lib/brokerPolicy.js';
import { BrokerCallError } from './BrokerCallError.js';
import { isQuery, type CallResults, type DelegateCall } from './delegateCall.js';
import { answerError, postJson, type Fetch } from './postJson.js';
import { requestToken, type ServiceClient } from './serviceTokenSource.js';

/** The fallback's settings: off unless `enabled`. */
export interface FallbackSettings {
  enabled: boolean;
  /** The broker policy (`broker.callers`, lib/brokerPolicy.ts): which targets and scopes this service may reach directly. */
  callers: BrokerCallers;
  /** Where each target is, and its audience at the authorization server (default its name). */
  targets: Record<string, { url: string; audience?: string }>;
  /** Told once per direct exchange (a batch served by the fallback), with its target: a counter's `inc`. */
  onFallback?: (target: string) => void;
  timeoutMs?: number;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * While the broker's circuit is open, does what the broker would, itself (the article's
 * "fall back to direct OBO, with monitoring"): one RFC 8693 exchange at the token endpoint
 * as this service (subject = the user token it received, no actor), for the target's
 * audience and only the read scopes the broker policy lets this service ask there; then the
 * calls straight to the target. Queries only. The authorization server enforces the same
 * limits again and audits each such exchange (`exchange.direct`); the router's trace and
 * audit do not see it, which is why it is off by default.
 */
export function directExchangeFallback(fetchFn: Fetch, client: ServiceClient, settings: FallbackSettings) {
  const readScopes = (target: string) => (callersOf(target, settings.callers)[client.clientId] ?? []).filter((scope) => scope.endsWith(':read'));
  return async (calls: DelegateCall[]): Promise<CallResults> => {
    const [first] = calls;
    const target = Object.hasOwn(settings.targets, first.target) ? settings.targets[first.target] : undefined;
    const allowed = readScopes(first.target);
    const outside = first.scopes.filter((scope) => !allowed.includes(scope));
    if (!target || allowed.length === 0 || outside.length > 0 || !calls.every(isQuery)) {
      const refused = new BrokerCallError('BROKER_UNAVAILABLE', `the delegation broker is unavailable, and the fallback does not cover ${first.target} with these scopes or operations (read scopes of the broker policy, queries only)`, { status: 503 });
      return calls.map(() => refused);
    }
    settings.onFallback?.(first.target);
    let token: string;
    try {
      const params = { grant_type: TOKEN_EXCHANGE, subject_token: first.subjectToken, subject_token_type: ACCESS_TOKEN, requested_token_type: ACCESS_TOKEN, audience: target.audience ?? first.target };
      token = (await requestToken(fetchFn, client, first.scopes.length > 0 ? { ...params, scope: first.scopes.join(' ') } : params, 'FALLBACK_FAILED')).access_token;
    } catch (error) {
      return calls.map(() => error as Error);
    }
    return Promise.all(calls.map((call) => callDirectly(fetchFn, target.url, token, call, settings.timeoutMs ?? 10_000).catch((error: Error) => error)));
  };
}

/** The call straight to the target with the directly exchanged token. */
async function callDirectly(fetchFn: Fetch, url: string, token: string, call: DelegateCall, timeoutMs: number) {
  const answer = await postJson(
    fetchFn,
    url,
    {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(call.traceparent ? { traceparent: call.traceparent } : {}) },
      body: JSON.stringify({ query: call.query, variables: call.variables, operationName: call.operationName }),
      timeoutMs,
    },
    'FALLBACK_FAILED',
  );
  if (answer.status !== 200) throw answerError(answer, call.target);
  return answer.body;
}
