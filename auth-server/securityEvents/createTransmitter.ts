import { randomUUID } from 'node:crypto';
import type { DeliveryAuditEvent } from '../auditEvents.js';
import { shortEventType } from './eventTypes.js';
import { DEFAULT_RETRY, pushSecurityEvent, type DeliveryOutcome, type RetryPolicy } from './pushSecurityEvent.js';
import type { SsfReceiver } from './receivers.js';
import { createSetSigner, type SecurityEvent } from './signSecurityEvent.js';

/** Sends security events to the configured receivers. */
export interface Transmitter {
  /** Signs one SET per receiver and pushes each at once, without waiting for any; returns the event's `txn`. */
  transmit(event: SecurityEvent): string;
  /** Stops retrying (the server is stopping); deliveries under way end as `failed`. */
  close(): void;
}

export interface TransmitterOptions {
  issuer: string;
  signingJwks: { keys: object[] };
  receivers: SsfReceiver[];
  /** Told the outcome of each delivery; never given the SET. */
  audit: (event: DeliveryAuditEvent) => void;
  retry?: RetryPolicy;
}

/**
 * The SSF transmitter (push delivery, RFC 8935). Every receiver gets its own SET (its own `aud`
 * and `jti`); the SETs of one event share a `txn` (RFC 8417 §2.2) so the audit ties them together.
 * Delivery runs beside the request that caused it: a revocation is answered before any
 * receiver is reached, and a receiver that is down delays nobody.
 */
export function createTransmitter(options: TransmitterOptions): Transmitter {
  const stopping = new AbortController();
  const sign = createSetSigner(options.issuer, options.signingJwks);
  const retry = options.retry ?? DEFAULT_RETRY;

  async function deliver(receiver: SsfReceiver, event: SecurityEvent, txn: string): Promise<void> {
    let jti: string | undefined;
    let result: DeliveryOutcome;
    try {
      const signed = await sign(event, receiver.audience, txn);
      jti = signed.jti;
      result = await pushSecurityEvent(receiver.url, signed.set, retry, stopping.signal);
    } catch {
      result = { outcome: 'failed', attempts: 0, error: 'signing_failed' };
    }
    try {
      options.audit({ event: 'set.delivery', eventType: shortEventType(event.type), txn, jti, receiver: receiver.audience, url: receiver.url, ...result });
    } catch {
      // The audit sink's own failure must not become an unhandled rejection that ends the process.
    }
  }

  return {
    transmit(event) {
      const txn = randomUUID();
      for (const receiver of options.receivers) void deliver(receiver, event, txn);
      return txn;
    },
    close: () => stopping.abort(),
  };
}
