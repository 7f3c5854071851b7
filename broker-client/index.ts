// `import { createBrokerClient } from 'deputy/broker-client'`: what a service uses to call
// another service for the same user through the router's POST /delegate (the package's
// `deputy/broker-client` export): batching, retries, a circuit breaker and an optional fallback.
export { createBrokerClient, type BrokerClient, type BrokerClientOptions } from './createBrokerClient.js';
export { BrokerCallError } from './BrokerCallError.js';
export { isQuery, type DelegateCall, type DelegateResult } from './delegateCall.js';
export type { CircuitSettings } from './circuit.js';
export type { FallbackSettings } from './directExchangeFallback.js';
export type { ServiceClient } from './serviceTokenSource.js';
export type { Fetch } from './postJson.js';
