import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { IResource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, InstrumentType, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Registry } from 'prom-client';

type PromMetric = Awaited<ReturnType<Registry['getMetricsAsJSON']>>[number];
type PromValue = PromMetric['values'][number] & { metricName?: string };

const descriptor = (metric: PromMetric, type: InstrumentType) => ({ name: metric.name, description: metric.help, unit: '', type, valueType: ValueType.DOUBLE });
const attributesOf = (labels: PromValue['labels'], without?: string): Attributes =>
  Object.fromEntries(Object.entries(labels).filter(([name, value]) => name !== without && value !== undefined)) as Attributes;

/** A Prometheus histogram's series (cumulative `le` buckets, _sum, _count) as OTLP explicit-bucket points. */
function histogramPoints(metric: PromMetric, startTime: HrTime, endTime: HrTime) {
  const series = new Map<string, { attributes: Attributes; buckets: [number, number][]; sum: number; count: number }>();
  for (const value of metric.values as PromValue[]) {
    const attributes = attributesOf(value.labels, 'le');
    const key = JSON.stringify(attributes);
    const entry = series.get(key) ?? { attributes, buckets: [], sum: 0, count: 0 };
    series.set(key, entry);
    if (value.metricName?.endsWith('_bucket')) entry.buckets.push([Number(value.labels.le), value.value]);
    else if (value.metricName?.endsWith('_sum')) entry.sum = value.value;
    else if (value.metricName?.endsWith('_count')) entry.count = value.value;
  }
  return [...series.values()].map(({ attributes, buckets, sum, count }) => {
    buckets.sort((a, b) => a[0] - b[0]);
    // OTLP counts per bucket, Prometheus counts up to each bound; the +Inf bucket is OTLP's last.
    const counts = buckets.map(([, cumulative], i) => cumulative - (i > 0 ? buckets[i - 1][1] : 0));
    const boundaries = buckets.map(([bound]) => bound).filter(Number.isFinite);
    return { startTime, endTime, attributes, value: { buckets: { boundaries, counts }, sum, count } };
  });
}

function toMetricData(metric: PromMetric, startTime: HrTime, endTime: HrTime): MetricData | undefined {
  const points = () => metric.values.map((value) => ({ startTime, endTime, attributes: attributesOf(value.labels), value: value.value }));
  switch (String(metric.type)) {
    case 'counter':
      return { descriptor: descriptor(metric, InstrumentType.COUNTER), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: points() };
    case 'gauge':
      return { descriptor: descriptor(metric, InstrumentType.OBSERVABLE_GAUGE), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: points() };
    case 'histogram':
      return { descriptor: descriptor(metric, InstrumentType.HISTOGRAM), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints: histogramPoints(metric, startTime, endTime) };
    default:
      // Summaries (none of ours) have no faithful OTLP form here; they stay on GET /metrics.
      return undefined;
  }
}

/**
 * The Prometheus registry read as OpenTelemetry metrics, so an OTLP export pushes exactly the
 * series GET /metrics serves: each metric is defined once, in prom-client, whichever way it leaves.
 */
export function registryMetricProducer(registry: Registry, resource: IResource): MetricProducer {
  const startTime = hrTime();
  return {
    async collect() {
      const endTime = hrTime();
      const metrics = (await registry.getMetricsAsJSON()).map((metric) => toMetricData(metric, startTime, endTime)).filter((data) => data !== undefined);
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: 'deputy-router' }, metrics }] }, errors: [] };
    },
  };
}
