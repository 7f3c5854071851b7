import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import type { RouterConfig } from '../config/configSchema.js';

const propagator = new W3CTraceContextPropagator();

/** A span the router opened; `end` closes it with an outcome. */
export interface OpenSpan {
  traceparent: string;
  end(failed?: boolean): void;
}

/**
 * OpenTelemetry spans of one request: the request span, one per subgraph fetch (its id goes
 * to the subgraph in `traceparent`), one per subgraph token. They share the request's trace id,
 * which is also the delegation trace's `traceId`.
 */
export class RequestSpans {
  private readonly parent: Context;

  constructor(
    private readonly tracer: Tracer,
    readonly request: Span,
  ) {
    this.parent = trace.setSpan(ROOT_CONTEXT, request);
  }

  get traceId(): string {
    return this.request.spanContext().traceId;
  }

  open(name: string, kind: SpanKind, attributes: Record<string, string>): OpenSpan {
    const span = this.tracer.startSpan(name, { kind, attributes }, this.parent);
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (target, key, value) => (target[key] = value) });
    return {
      traceparent: carrier.traceparent,
      end: (failed) => {
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  }
}

/** The router's tracer: OTLP/HTTP export when `telemetry.otlpEndpoint` is set, else nothing at all. */
export interface Telemetry {
  /** Opens a request's span, continuing an incoming traceparent; undefined when telemetry is off. */
  startRequest(traceparent: string | undefined, operation: string): RequestSpans | undefined;
  shutdown(): Promise<void>;
}

export function createTelemetry(config: RouterConfig['telemetry']): Telemetry {
  if (!config.otlpEndpoint) return { startRequest: () => undefined, shutdown: async () => undefined };
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpEndpoint }), { scheduledDelayMillis: 500 })],
  });
  const tracer = provider.getTracer('deputy-router');
  return {
    startRequest(traceparent, operation) {
      const parent = traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent }, { get: (c, k) => c[k as 'traceparent'], keys: () => ['traceparent'] }) : ROOT_CONTEXT;
      const span = tracer.startSpan(operation, { kind: SpanKind.SERVER }, parent);
      return new RequestSpans(tracer, span);
    },
    shutdown: () => provider.shutdown(),
  };
}
