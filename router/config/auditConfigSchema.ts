import { z } from 'zod';
import { DURATION_PATTERN } from '../../lib/duration.js';
import { limit, positiveMs } from './configPrimitives.js';

/** `audit.postgres`: the queryable audit store (`deputy audit` reads it). */
const postgresAuditSchema = z
  .object({
    url: z.string().min(1).optional().describe('PostgreSQL connection URL of the audit store (use `${ENV_VAR}` for a password). Default: none; required with the postgres sink.'),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,50}$/, 'letters, digits and underscores')
      .default('deputy_audit')
      .describe('The PostgreSQL schema holding the `audit_events` table, created on first use (one per deployment, or per test run).'),
    batchSize: z.coerce.number().int().min(1).max(5000).default(500).describe('Most events written in one INSERT.'),
    flushIntervalMs: positiveMs.default(1000).describe('Longest time an event waits in memory before it is written, in ms (a full batch is written at once).'),
    retention: z
      .string()
      .refine((value) => value === 'off' || DURATION_PATTERN.test(value), 'a duration (30d, 12h, 2w) or off')
      .default('30d')
      .describe('How long events are kept: older ones are deleted every 10 minutes, 10,000 at a time; `off` keeps them (e.g. when the router may only INSERT and SELECT, and the owner runs `deputy audit --prune`).'),
  })
  .strict()
  .prefault({})
  .describe('The postgres sink: events in one append-only table, indexed by trace id, subject and time.');

/** `audit`: where the router's audit events go. */
export const auditConfigSchema = z
  .object({
    sink: z
      .enum(['stdout', 'file', 'redis', 'postgres'])
      .default('stdout')
      .describe('Where audit events go: `stdout`, `file` (JSON lines), `redis` (a Redis Stream, `<keyPrefix>audit`) or `postgres` (a table `deputy audit` queries).'),
    file: z.string().optional().describe('The file of the file sink. Default: none; required with the file sink.'),
    maxBuffered: limit.default(10_000).describe('Redis and postgres sinks: events held while the store is away or behind.'),
    fallbackFile: z
      .string()
      .optional()
      .describe('Redis and postgres sinks: a local JSON-lines file for events beyond the buffer and those left at shutdown. Default: none (they are dropped, counted in `deputy_audit_overflow_total`).'),
    postgres: postgresAuditSchema,
  })
  .strict()
  .prefault({})
  .refine((value) => value.sink !== 'file' || Boolean(value.file), { message: 'file is required with the file sink', path: ['file'] })
  .refine((value) => value.sink !== 'postgres' || Boolean(value.postgres.url), { message: 'url is required with the postgres sink', path: ['postgres', 'url'] })
  .describe('Audit events: every request, every delegation (granted or refused) and every decision a subgraph reports.');

/** The validated `audit` block. */
export type AuditConfig = z.infer<typeof auditConfigSchema>;
