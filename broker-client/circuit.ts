import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { BrokerCallError } from './BrokerCallError.js';
import type { SendCalls } from './delegateCall.js';

/** When the circuit opens and when it tries the broker again. */
export interface CircuitSettings {
  /** Consecutive sends the broker did not answer that open the circuit (default 3). */
  consecutiveFailures?: number;
  /** How long it stays open before one send may try the broker again, ms (default 10000). */
  halfOpenAfterMs?: number;
}

/**
 * A cockatiel circuit breaker around sends to the broker. Only the broker not answering counts
 * (BROKER_UNREACHABLE): a refusal or a target's failure is an answer, the broker is up. While
 * open, a send fails at once with BROKER_UNAVAILABLE (503) instead of waiting for a timeout.
 */
export function brokerCircuit(send: SendCalls, settings: CircuitSettings = {}): SendCalls {
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof BrokerCallError && error.code === 'BROKER_UNREACHABLE'),
    { halfOpenAfter: settings.halfOpenAfterMs ?? 10_000, breaker: new ConsecutiveBreaker(settings.consecutiveFailures ?? 3) },
  );
  return async (calls) => {
    try {
      return await breaker.execute(() => send(calls));
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new BrokerCallError('BROKER_UNAVAILABLE', 'the delegation broker is unavailable (its circuit is open)', { status: 503, cause: error });
      throw error;
    }
  };
}
