import { BrokerCallError } from './BrokerCallError.js';
import { batchCalls } from './batchCalls.js';
import { brokerCircuit, type CircuitSettings } from './circuit.js';
import type { DelegateCall, DelegateResult, SendCalls } from './delegateCall.js';
import { directExchangeFallback, type FallbackSettings } from './directExchangeFallback.js';
import { postDelegate } from './postDelegate.js';
import type { Fetch } from './postJson.js';
import { retryIdempotent } from './retryIdempotent.js';
import { serviceTokenSource, type ServiceClient } from './serviceTokenSource.js';

/** How a service reaches the broker, and what the client does around it; defaults beside each. */
export interface BrokerClientOptions extends ServiceClient {
  /** The resource indicator of the router, whose broker this service calls (e.g. urn:deputy:router). */
  routerResource: string;
  /** The router's POST /delegate URL (a function: in tests the router starts after the subgraphs). */
  brokerUrl: () => string;
  /** Timeout of one POST /delegate, ms (default 10000). */
  timeoutMs?: number;
  /** Most calls in one batch (default 50, the router's `broker.maxBatchSize` default). */
  maxBatchSize?: number;
  circuit?: CircuitSettings;
  /** The direct-exchange fallback while the circuit is open; off when absent or not enabled. */
  fallback?: FallbackSettings;
  /** The fetch to use (default the global one). */
  fetch?: Fetch;
}

/** Calls another service for the same user through the router's delegation broker. */
export interface BrokerClient {
  /** The target's answer; a refusal or failure is a BrokerCallError with its code. */
  delegate(call: DelegateCall): Promise<DelegateResult>;
}

/**
 * The broker client, in the order a call goes: batched per tick and group, sent as one POST
 * /delegate behind a circuit breaker, queries retried once on a transient failure, and, only
 * if the fallback is enabled, the calls the open circuit refused done by direct exchange.
 */
export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const broker = { url: options.brokerUrl, token: serviceTokenSource(fetchFn, options, options.routerResource), timeoutMs: options.timeoutMs ?? 10_000 };
  const viaBroker = retryIdempotent(brokerCircuit((calls) => postDelegate(fetchFn, broker, calls), options.circuit));
  const fallback = options.fallback?.enabled ? directExchangeFallback(fetchFn, options, options.fallback) : undefined;
  const send: SendCalls = async (calls) => {
    const results = await viaBroker(calls);
    const refused = fallback ? calls.flatMap((_, i) => (results[i] instanceof BrokerCallError && (results[i] as BrokerCallError).code === 'BROKER_UNAVAILABLE' ? [i] : [])) : [];
    if (!fallback || refused.length === 0) return results;
    const direct = await fallback(refused.map((i) => calls[i]));
    refused.forEach((index, j) => (results[index] = direct[j]));
    return results;
  };
  return { delegate: batchCalls(send, options.maxBatchSize ?? 50) };
}
