import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { httpClientAttributes } from './httpAttributes.js';

const propagator = new W3CTraceContextPropagator();

/** A span the router opened, and the way to open its children; what the delegation code sees of OpenTelemetry. */
export interface OpenSpan {
  /** This span as a W3C traceparent header value, for the request it stands for. */
  readonly traceparent: string;
  /** Opens a child span. */
  open(name: string, kind: SpanKind, attributes?: Attributes): OpenSpan;
  /** Opens a child HTTP client span with the semantic conventions' request attributes (method, server, URL without query). */
  openHttpClient(name: string, method: string, url: string, attributes?: Attributes): OpenSpan;
  setAttributes(attributes: Attributes): void;
  /** Records the HTTP status answered; a client's 4xx and 5xx, a server's 5xx, are errors (semantic conventions). */
  responded(status: number): void;
  /** Ends the span; `failure` (true, or an `error.type` such as `timeout`) marks it failed. */
  end(failure?: boolean | string): void;
}

/** An OpenSpan over one SDK span. */
export class TracedSpan implements OpenSpan {
  private errorType?: string;

  constructor(
    private readonly tracer: Tracer,
    protected readonly span: Span,
    private readonly kind: SpanKind,
  ) {}

  get traceparent(): string {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, this.span), carrier, { set: (target, key, value) => (target[key] = value) });
    return carrier.traceparent;
  }

  open(name: string, kind: SpanKind, attributes: Attributes = {}): OpenSpan {
    return new TracedSpan(this.tracer, this.tracer.startSpan(name, { kind, attributes }, trace.setSpan(ROOT_CONTEXT, this.span)), kind);
  }

  openHttpClient(name: string, method: string, url: string, attributes: Attributes = {}): OpenSpan {
    return this.open(name, SpanKind.CLIENT, { ...httpClientAttributes(method, url), ...attributes });
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  responded(status: number): void {
    this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= (this.kind === SpanKind.SERVER ? 500 : 400)) this.errorType = String(status);
  }

  end(failure?: boolean | string): void {
    // `_OTHER` is the conventions' error.type when no better one is known.
    const errorType = typeof failure === 'string' ? failure : (this.errorType ?? (failure ? '_OTHER' : undefined));
    if (errorType) {
      this.span.setAttribute(ATTR_ERROR_TYPE, errorType);
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}

/** Runs `run`, then ends `span` with its outcome; a failure's stable reason (timeout, invalid_target...) is the span's error.type. */
export async function endAfter<T>(span: OpenSpan | undefined, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    span?.end();
    return result;
  } catch (error) {
    const failure = error as { reason?: string; details?: { reason?: string } };
    span?.end(failure.reason ?? failure.details?.reason ?? true);
    throw error;
  }
}
