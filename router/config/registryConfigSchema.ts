import { z } from 'zod';
import { DURATION_PATTERN } from '../../lib/duration.js';
import { flag, limit, positiveMs } from './configPrimitives.js';

const duration = z.string().regex(DURATION_PATTERN, 'a number and one of s, m, h, d, w (30m, 1h, 7d)');

/** `registry`: where schema versions, ownership approvals and field usage live, and the checks a publish passes. */
export const registryConfigSchema = z
  .object({
    postgres: z
      .object({
        url: z.string().min(1).optional().describe('PostgreSQL connection URL of the registry (use `${ENV_VAR}` for a password). Default: none: versions live in memory, for development only.'),
        schema: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscores')
          .default('deputy_registry')
          .describe('The PostgreSQL schema holding the tables, created on first use (one per deployment, or per test run).'),
      })
      .strict()
      .prefault({})
      .describe('The registry in PostgreSQL, shared by every router of a deployment and by the `deputy schema` verbs.'),
    deployCheck: flag.default(true).describe("Before a version becomes current, ask the subgraph's running service for its SDL (`_service { sdl }`) and refuse fields it does not serve."),
    deployCheckTimeoutMs: positiveMs.default(5000).describe("Longest wait for a service's SDL, in ms."),
    usage: z
      .object({
        enabled: flag.default(true).describe('Record which fields each operation used, per client id and operation name (never per user, never variables).'),
        window: duration.default('7d').describe('How far back a breaking change looks for operations that used the fields it affects.'),
        flushIntervalMs: positiveMs.default(5000).describe('Time between two writes of the aggregated usage, in ms.'),
        maxKeys: limit.default(10_000).describe('Most (client, operation, field) counts held between two writes; more are dropped and counted.'),
      })
      .strict()
      .prefault({})
      .describe('Field usage, for usage-aware checks.'),
  })
  .strict()
  .prefault({})
  .describe('The schema registry: versions, rollback, field ownership, deploy and usage checks.');
