import { Counter, type Registry } from 'prom-client';

/**
 * `deputy_security_events_total{outcome}`: SETs pushed to POST /events by how each ended
 * (applied, duplicate, ignored, an RFC 8935 error code, unavailable), revocations applied from
 * another instance (`shared`), and revocations forgotten early because the list was full (`overflow`).
 */
export function securityEventCounter(registry: Registry): Counter<'outcome'> {
  return new Counter({
    name: 'deputy_security_events_total',
    help: 'Security events: SETs pushed to POST /events by outcome (applied, duplicate, ignored, invalid_request, invalid_key, invalid_issuer, invalid_audience, unavailable), revocations applied from another instance (shared), revocations dropped early (overflow)',
    labelNames: ['outcome'],
    registers: [registry],
  });
}
