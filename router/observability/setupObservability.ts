import type { RouterConfig } from '../config/configSchema.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { ExchangeObserver } from '../delegation/tokenExchanger.js';
import { createMetrics, type RouterMetrics } from './metrics.js';
import { createTelemetry, type Telemetry } from './telemetry.js';
import { createSwallowedErrors, type SwallowedErrors } from './swallowedErrors.js';
import { exchangeAudit } from './auditEvents.js';
import type { Logger } from './createLogger.js';

/** The router's metrics, tracer and report of errors it carries on after. */
export interface Observability {
  metrics: RouterMetrics;
  telemetry: Telemetry;
  errors: SwallowedErrors;
}

/** What the metrics read from parts created later: the token cache's size and the audit sink's backlog. */
export interface ObservedSizes {
  tokenCache?: () => number;
  audit?: () => { buffered: number; lagSeconds: number };
}

const CIRCUIT_STATE = { closed: 0, 'half-open': 0.5, open: 1 } as const;

/** Metrics (read lazily through `sizes`), telemetry and the swallowed-error report, on one registry. */
export async function setupObservability(config: RouterConfig, logger: Logger, sizes: ObservedSizes): Promise<Observability> {
  const metrics = createMetrics(
    config.metrics,
    () => sizes.tokenCache?.() ?? 0,
    () => sizes.audit?.() ?? { buffered: 0, lagSeconds: 0 },
  );
  return { metrics, telemetry: await createTelemetry(config.telemetry, metrics.registry), errors: createSwallowedErrors(logger, metrics.registry) };
}

/** What the token exchanger reports: token and exchange metrics, the circuit's state, an audit event per exchange. */
export function exchangeObserver(metrics: RouterMetrics, audit: AuditLog): ExchangeObserver {
  const recordExchange = exchangeAudit(audit);
  return {
    tokenRequested: (result) => metrics.tokenRequests.inc({ result }),
    exchanged: (report) => {
      metrics.exchangeDuration.observe({ result: report.result }, report.ms / 1000);
      recordExchange(report);
    },
    circuitChanged: (state) => metrics.circuitState.set(CIRCUIT_STATE[state]),
  };
}
