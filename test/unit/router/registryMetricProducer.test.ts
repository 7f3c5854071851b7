import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { Resource } from '@opentelemetry/resources';
import { DataPointType, type HistogramMetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { registryMetricProducer } from '../../../router/observability/registryMetricProducer.js';

describe('registryMetricProducer', () => {
  const collect = async (registry: Registry) => (await registryMetricProducer(registry, new Resource({})).collect()).resourceMetrics.scopeMetrics[0].metrics;

  it('reads a counter as a monotonic sum per label set', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'deputy_things_total', help: 'things', labelNames: ['kind'], registers: [registry] });
    counter.inc({ kind: 'a' }, 3);
    counter.inc({ kind: 'b' });
    const [metric] = (await collect(registry)) as SumMetricData[];
    expect(metric).toMatchObject({ descriptor: { name: 'deputy_things_total', description: 'things' }, dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(metric.dataPoints.map((point) => [point.attributes, point.value])).toEqual([
      [{ kind: 'a' }, 3],
      [{ kind: 'b' }, 1],
    ]);
  });

  it('turns cumulative Prometheus buckets into OTLP per-bucket counts, +Inf last', async () => {
    const registry = new Registry();
    const histogram = new Histogram({ name: 'deputy_latency_seconds', help: 'latency', labelNames: ['op'], buckets: [0.1, 1], registers: [registry] });
    for (const value of [0.05, 0.5, 0.7, 5]) histogram.observe({ op: 'Q' }, value);
    const [metric] = (await collect(registry)) as HistogramMetricData[];
    expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(metric.dataPoints).toHaveLength(1);
    expect(metric.dataPoints[0].attributes).toEqual({ op: 'Q' });
    expect(metric.dataPoints[0].value).toMatchObject({ buckets: { boundaries: [0.1, 1], counts: [1, 2, 1] }, count: 4, sum: 6.25 });
  });
});
