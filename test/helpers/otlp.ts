import type { RecordedRequest } from './recordingServer.js';

// Decoding what the OTLP/HTTP exporters send (JSON: @opentelemetry/exporter-*-otlp-http 0.57
// serialize the OTLP protobuf messages in their JSON mapping).

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };

/** One exported span, its attributes flattened. */
export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

/** One exported metric: name and its data points (sum, gauge or histogram), attributes flattened. */
export interface ExportedMetric {
  name: string;
  points: { attributes: Record<string, string | number | boolean>; asDouble?: number; count?: number | string; bucketCounts?: (number | string)[]; explicitBounds?: number[] }[];
}

function flatten(attributes: KeyValue[] = []): Record<string, string | number | boolean> {
  const value = ({ stringValue, intValue, doubleValue, boolValue }: AnyValue) => stringValue ?? (intValue !== undefined ? Number(intValue) : (doubleValue ?? boolValue ?? ''));
  return Object.fromEntries(attributes.map((kv) => [kv.key, value(kv.value)]));
}

/** Every span in the recorded POST /v1/traces requests. */
export function exportedSpans(requests: RecordedRequest[]): ExportedSpan[] {
  type Payload = { resourceSpans: { scopeSpans: { spans: (Omit<ExportedSpan, 'attributes'> & { attributes?: KeyValue[] })[] }[] }[] };
  return requests
    .filter((request) => request.path === '/v1/traces')
    .flatMap((request) => (JSON.parse(request.body) as Payload).resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)))
    .map((span) => ({ ...span, attributes: flatten(span.attributes) }));
}

/** Every metric in the recorded POST /v1/metrics requests, oldest export first. */
export function exportedMetrics(requests: RecordedRequest[]): ExportedMetric[] {
  type Point = ExportedMetric['points'][number] & { attributes?: KeyValue[] };
  type Metric = { name: string; sum?: { dataPoints: Point[] }; gauge?: { dataPoints: Point[] }; histogram?: { dataPoints: Point[] } };
  type Payload = { resourceMetrics: { scopeMetrics: { metrics: Metric[] }[] }[] };
  return requests
    .filter((request) => request.path === '/v1/metrics')
    .flatMap((request) => (JSON.parse(request.body) as Payload).resourceMetrics.flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics)))
    .map((metric) => ({
      name: metric.name,
      points: (metric.sum ?? metric.gauge ?? metric.histogram)?.dataPoints.map((point) => ({ ...point, attributes: flatten(point.attributes as KeyValue[] | undefined) })) ?? [],
    }));
}

/** Polls `check` every 50 ms until it holds, for at most `timeoutMs`; false if it never did. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) if (check()) return true;
  return check();
}
