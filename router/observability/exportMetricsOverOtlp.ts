import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { IResource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Registry } from 'prom-client';
import { registryMetricProducer } from './registryMetricProducer.js';

/** Where and how often the metrics are pushed. */
export interface MetricsExportOptions {
  endpoint: string;
  headers: Record<string, string>;
  exportIntervalMs: number;
}

/**
 * Pushes the registry's metrics to an OTLP/HTTP endpoint every `exportIntervalMs`, and once
 * more at shutdown, so the last counts before a stop are not lost.
 */
export function exportMetricsOverOtlp(registry: Registry, resource: IResource, options: MetricsExportOptions): { shutdown(): Promise<void> } {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: options.endpoint, headers: options.headers }),
    exportIntervalMillis: options.exportIntervalMs,
    // The reader refuses a timeout longer than its interval.
    exportTimeoutMillis: Math.min(options.exportIntervalMs, 10_000),
    metricProducers: [registryMetricProducer(registry, resource)],
  });
  // The provider only binds the reader; every series comes from the registry, none from OTel instruments.
  const provider = new MeterProvider({ resource, readers: [reader] });
  return { shutdown: () => provider.shutdown() };
}
