import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RouterConfig } from '../config/configSchema.js';
import { LabelFolder } from './labelFolder.js';

/** Token requests by result; labels never carry a user or a token. */
export type TokenResult = 'cache_hit' | 'coalesced' | 'exchanged' | 'denied' | 'error';

/** The router's Prometheus metrics, one registry per router instance. */
export interface RouterMetrics {
  registry: Registry;
  requests: Counter<'outcome'>;
  fetchDuration: Histogram<'subgraph' | 'outcome'>;
  /** Fetches that joined an identical fetch in flight instead of sending their own request. */
  fetchesDeduplicated: Counter<'subgraph'>;
  tokenRequests: Counter<'result'>;
  exchangeDuration: Histogram<'result'>;
  circuitState: Gauge;
  operationCost: Histogram<'kind'>;
  rejected: Counter<'code'>;
  auditOverflow: Counter<'outcome'>;
  /** GraphQL request latency; label values only through `labels`, which bounds them. */
  requestDuration: Histogram<'operation' | 'client'>;
  denials: Counter<'subgraph' | 'rule'>;
  brokerCalls: Counter<'caller' | 'target' | 'outcome'>;
  supergraphInfo: Gauge<'hash' | 'version'>;
  /** The folders that keep label values bounded: operation names, client ids, rule names. */
  labels: { operation: LabelFolder; client: LabelFolder; rule: LabelFolder };
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
// Rules are named in the subgraphs' code, so few; the bound only guards against a subgraph that invents them.
const MAX_RULE_NAMES = 500;

/** Creates the metrics served at GET /metrics (and pushed over OTLP); `cacheSize` is read at scrape time. */
export function createMetrics(
  config: Pick<RouterConfig['metrics'], 'prefix' | 'maxOperationNames' | 'maxClientIds'>,
  cacheSize: () => number,
  audit: () => { buffered: number; lagSeconds: number } = () => ({ buffered: 0, lagSeconds: 0 }),
): RouterMetrics {
  const registry = new Registry();
  // Node's metrics keep their standard names (process_cpu_seconds_total...), which dashboards expect.
  collectDefaultMetrics({ register: registry, ...(config.prefix ? { prefix: config.prefix } : {}) });
  const metrics: RouterMetrics = {
    registry,
    requests: new Counter({ name: 'deputy_requests_total', help: 'GraphQL requests by outcome (ok, partial, error, unauthenticated)', labelNames: ['outcome'], registers: [registry] }),
    fetchDuration: new Histogram({
      name: 'deputy_subgraph_fetch_duration_seconds',
      help: 'Subgraph fetch latency, waiting for the token included',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    fetchesDeduplicated: new Counter({
      name: 'deputy_subgraph_fetches_deduplicated_total',
      help: 'Subgraph fetches that shared the HTTP request of an identical fetch in flight (same token, document, variables) instead of sending their own',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    tokenRequests: new Counter({ name: 'deputy_token_requests_total', help: 'Subgraph token requests by result', labelNames: ['result'], registers: [registry] }),
    exchangeDuration: new Histogram({
      name: 'deputy_exchange_duration_seconds',
      help: 'RFC 8693 exchanges at the authorization server',
      labelNames: ['result'],
      buckets: LATENCY_BUCKETS,
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
    auditOverflow: new Counter({ name: 'deputy_audit_overflow_total', help: 'Audit events the Redis or PostgreSQL sink could not hold or write: outcome fallback (written to audit.fallbackFile) or dropped', labelNames: ['outcome'], registers: [registry] }),
    rejected: new Counter({ name: 'deputy_requests_refused_total', help: 'Requests refused before execution, by code (COST_TOO_HIGH, TOO_MANY_REQUESTS, RESPONSE_TOO_LARGE...)', labelNames: ['code'], registers: [registry] }),
    requestDuration: new Histogram({
      name: 'deputy_request_duration_seconds',
      help: 'GraphQL request latency by operation name and client id (beyond metrics.maxOperationNames / maxClientIds: __other__; none: __anonymous__)',
      labelNames: ['operation', 'client'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    denials: new Counter({ name: 'deputy_authorization_denials_total', help: 'Fields a subgraph refused (FORBIDDEN), by subgraph and rule', labelNames: ['subgraph', 'rule'], registers: [registry] }),
    brokerCalls: new Counter({
      name: 'deputy_broker_calls_total',
      help: 'POST /delegate calls by calling service, target and outcome (ok or the error code)',
      labelNames: ['caller', 'target', 'outcome'],
      registers: [registry],
    }),
    supergraphInfo: new Gauge({ name: 'deputy_supergraph_info', help: 'The served supergraph: its hash and this instance\'s version number of it (1 at start-up)', labelNames: ['hash', 'version'], registers: [registry] }),
    labels: { operation: new LabelFolder(config.maxOperationNames), client: new LabelFolder(config.maxClientIds), rule: new LabelFolder(MAX_RULE_NAMES) },
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
    help: 'Audit events waiting to be written to the Redis stream or PostgreSQL table',
    registers: [registry],
    collect() {
      this.set(audit().buffered);
    },
  });
  new Gauge({
    name: 'deputy_audit_lag_seconds',
    help: 'Age of the oldest audit event not yet written to the Redis stream or PostgreSQL table',
    registers: [registry],
    collect() {
      this.set(audit().lagSeconds);
    },
  });
  return metrics;
}
