import { z } from 'zod';
import { positiveMs } from './configPrimitives.js';

/** `telemetry`: OpenTelemetry traces and metrics pushed over OTLP/HTTP. */
export const telemetryConfigSchema = z
  .object({
    otlpEndpoint: z.url().optional().describe('OTLP/HTTP traces endpoint (e.g. http://127.0.0.1:4318/v1/traces). Default: off.'),
    serviceName: z.string().min(1).default('deputy-router').describe('`service.name` of the spans and exported metrics.'),
    otlp: z
      .object({ headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every OTLP export, traces and metrics (e.g. an API key: use ${ENV_VAR}).') })
      .strict()
      .prefault({})
      .describe('OTLP exporter settings shared by traces and metrics.'),
    sampling: z
      .object({ ratio: z.coerce.number().min(0).max(1).default(1).describe("Share of new traces sampled (parent-based: an incoming traceparent's decision is kept).") })
      .strict()
      .prefault({})
      .describe('Trace sampling.'),
    metrics: z
      .object({
        otlp: z
          .object({
            endpoint: z.url().optional().describe("OTLP/HTTP metrics endpoint (e.g. http://127.0.0.1:4318/v1/metrics): GET /metrics's series, pushed. Default: off."),
            headers: z.record(z.string(), z.string()).default({}).describe('Headers of the metrics export, over telemetry.otlp.headers.'),
            exportIntervalMs: positiveMs.default(60_000).describe('Time between two exports, in ms (one more at shutdown).'),
          })
          .strict()
          .prefault({})
          .describe('Metrics pushed over OTLP/HTTP.'),
      })
      .strict()
      .prefault({})
      .describe('Metrics export.'),
  })
  .strict()
  .prefault({})
  .describe('OpenTelemetry traces and metrics.');
