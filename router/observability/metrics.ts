import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Token requests by result; labels never carry a user or a token. */
export type TokenResult = 'cache_hit' | 'coalesced' | 'exchanged' | 'denied' | 'error';

/** The router's Prometheus metrics, one registry per router instance. */
export interface RouterMetrics {
  registry: Registry;
  requests: Counter<'outcome'>;
  fetchDuration: Histogram<'subgraph' | 'outcome'>;
  tokenRequests: Counter<'result'>;
  exchangeDuration: Histogram<'result'>;
  circuitState: Gauge;
  operationCost: Histogram<'kind'>;
  rejected: Counter<'code'>;
  auditOverflow: Counter<'outcome'>;
}

/** Creates the metrics served at GET /metrics; `cacheSize` is read at scrape time. */
export function createMetrics(cacheSize: () => number, audit: () => { buffered: number; lagSeconds: number } = () => ({ buffered: 0, lagSeconds: 0 })): RouterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'deputy_' });
  const metrics: RouterMetrics = {
    registry,
    requests: new Counter({ name: 'deputy_requests_total', help: 'GraphQL requests by outcome (ok, partial, error, unauthenticated)', labelNames: ['outcome'], registers: [registry] }),
    fetchDuration: new Histogram({
      name: 'deputy_subgraph_fetch_duration_seconds',
      help: 'Subgraph fetch latency, waiting for the token included',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    tokenRequests: new Counter({ name: 'deputy_token_requests_total', help: 'Subgraph token requests by result', labelNames: ['result'], registers: [registry] }),
    exchangeDuration: new Histogram({
      name: 'deputy_exchange_duration_seconds',
      help: 'RFC 8693 exchanges at the authorization server',
      labelNames: ['result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    circuitState: new Gauge({ name: 'deputy_exchange_circuit_state', help: 'Token endpoint circuit breaker: 0 closed, 1 open, 0.5 half-open', registers: [registry] }),
    operationCost: new Histogram({
      name: 'deputy_operation_cost',
      help: 'Operation cost (demand control): estimated before planning, actual (objects in the response) after execution',
      labelNames: ['kind'],
      buckets: [1, 10, 100, 1000, 5000, 10_000, 50_000, 100_000, 1_000_000],
      registers: [registry],
    }),
    auditOverflow: new Counter({ name: 'deputy_audit_overflow_total', help: 'Audit events the Redis sink could not hold: outcome fallback (written to audit.fallbackFile) or dropped', labelNames: ['outcome'], registers: [registry] }),
    rejected: new Counter({ name: 'deputy_requests_refused_total', help: 'Requests refused before execution, by code (COST_TOO_HIGH, TOO_MANY_REQUESTS, RESPONSE_TOO_LARGE...)', labelNames: ['code'], registers: [registry] }),
  };
  new Gauge({
    name: 'deputy_token_cache_entries',
    help: 'Exchanged tokens held in the cache',
    registers: [registry],
    collect() {
      this.set(cacheSize());
    },
  });
  new Gauge({
    name: 'deputy_audit_buffered',
    help: 'Audit events waiting to be written to the Redis stream',
    registers: [registry],
    collect() {
      this.set(audit().buffered);
    },
  });
  new Gauge({
    name: 'deputy_audit_lag_seconds',
    help: 'Age of the oldest audit event not yet written to the Redis stream',
    registers: [registry],
    collect() {
      this.set(audit().lagSeconds);
    },
  });
  return metrics;
}
