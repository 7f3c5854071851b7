import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Registry } from 'prom-client';
import type { RouterConfig } from '../config/configSchema.js';
import { TracedSpan } from './tracedSpan.js';
import { httpServerAttributes } from './httpAttributes.js';

export type { OpenSpan } from './tracedSpan.js';

const propagator = new W3CTraceContextPropagator();

/**
 * OpenTelemetry spans of one request: the request's server span, under which one span per
 * subgraph fetch (its id goes to the subgraph in `traceparent`) and one per subgraph token
 * open. They share the request's trace id, which is also the delegation trace's `traceId`.
 */
export class RequestSpans extends TracedSpan {
  get traceId(): string {
    return this.span.spanContext().traceId;
  }
}

/** The router's telemetry: OTLP/HTTP span export when `telemetry.otlpEndpoint` is set, metrics export when `telemetry.metrics.otlp.endpoint` is; else nothing at all. */
export interface Telemetry {
  /**
   * Opens the server span of one HTTP request (continuing an incoming traceparent), ended with
   * the response's status when the response closes; undefined when tracing is off.
   */
  startRequest(req: IncomingMessage, res: ServerResponse, name: string): RequestSpans | undefined;
  /** Flushes and stops both exports. */
  shutdown(): Promise<void>;
}

function incomingContext(req: IncomingMessage): Context {
  const traceparent = req.headers.traceparent;
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent }, { get: (carrier, key) => carrier[key as 'traceparent'], keys: () => ['traceparent'] });
}

/** Creates the router's telemetry; `registry` holds the metrics an OTLP metrics export pushes. */
export async function createTelemetry(config: RouterConfig['telemetry'], registry: Registry): Promise<Telemetry> {
  const resource = new Resource({ [ATTR_SERVICE_NAME]: config.serviceName });
  // The OTLP exporters (protobuf and HTTP machinery, about 0.4 s to load) load only when an endpoint is set.
  const metricsExport = config.metrics.otlp.endpoint
    ? (await import('./exportMetricsOverOtlp.js')).exportMetricsOverOtlp(registry, resource, { ...config.metrics.otlp, endpoint: config.metrics.otlp.endpoint, headers: { ...config.otlp.headers, ...config.metrics.otlp.headers } })
    : undefined;
  if (!config.otlpEndpoint) return { startRequest: () => undefined, shutdown: async () => metricsExport?.shutdown() };
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const provider = new BasicTracerProvider({
    resource,
    // Parent-based: a caller's sampling decision (the traceparent flag) is kept, so a trace is whole or absent.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampling.ratio) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpEndpoint, headers: config.otlp.headers }), { scheduledDelayMillis: 500 })],
  });
  const tracer = provider.getTracer('deputy-router');
  return {
    startRequest(req, res, name) {
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: httpServerAttributes(req) }, incomingContext(req));
      const spans = new RequestSpans(tracer, span, SpanKind.SERVER);
      res.once('close', () => {
        spans.responded(res.statusCode);
        spans.end(res.writableFinished ? undefined : 'aborted');
      });
      return spans;
    },
    async shutdown() {
      await provider.shutdown();
      await metricsExport?.shutdown();
    },
  };
}
