// `deputy audit ...`: the audit store (audit.sink postgres) from a terminal, read directly from
// PostgreSQL (README.md "Audit store"). Exit codes, as the registry verbs': 0 done, 1 nothing
// recorded for that trace, 2 usage error or the store unreachable.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { configPath } from '../../lib/config/configPath.js';
import { durationMs } from '../../lib/duration.js';
import { readAuditConfig } from '../config/readAuditConfig.js';
import { checkAuditSchemaName, createAuditTables } from '../audit/auditTables.js';
import { eventsOfTrace, requestsOfSubject } from '../audit/queryAuditEvents.js';
import { pruneAuditEvents } from '../audit/pruneAuditEvents.js';
import { formatAuditStory } from './formatAuditStory.js';
import { formatAuditRequests } from './formatAuditRequests.js';

export const AUDIT_HELP = `Usage:
  deputy audit --trace <trace id> [--json]
  deputy audit --subject <user> [--since 1h] [--limit N] [--json]
  deputy audit --prune [--retention 30d]

  --trace <id>        the story of one request: the caller and the scopes it held, the token each
                      subgraph got and through whom, each decision with its rule
  --subject <user>    the user's requests, newest first, with their outcome and denials
  --since <duration>  how far back (90s, 30m, 1h, 7d; or an ISO date); default 24h
  --limit <n>         at most this many requests; default 50
  --prune             delete the events older than the retention (audit.postgres.retention, or
                      --retention); run it as the table's owner when the router may not delete
  --config <file>     the router configuration whose audit.postgres is read (default
                      $DEPUTY_CONFIG, else the package's router/router.yaml)
  --postgres <url>    the audit store's PostgreSQL, instead of the configuration's
  --schema <name>     its schema (default: the configuration's, else deputy_audit)
  --json              the events as JSON`;

const OPTIONS = {
  trace: { type: 'string' },
  subject: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  prune: { type: 'boolean', default: false },
  retention: { type: 'string' },
  config: { type: 'string' },
  postgres: { type: 'string' },
  schema: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

class UsageError extends Error {}

/** The store: --postgres and --schema, else the configuration's audit.postgres. */
function storeOf(values: Values): { url: string; schema: string; retention?: string } {
  const config = values.config || !values.postgres ? readAuditConfig(values.config ?? configPath()).postgres : undefined;
  const url = values.postgres ?? config?.url;
  if (!url) throw new UsageError(`no audit.postgres.url in ${values.config ?? configPath()}; give --postgres <url> or --config <file>`);
  return { url, schema: checkAuditSchemaName(values.schema ?? config?.schema ?? 'deputy_audit'), retention: values.retention ?? config?.retention };
}

/** A moment from `--since`: a duration back from now, or an ISO date. */
function sinceOf(value = '24h'): Date {
  if (/^\d+[smhdw]$/.test(value)) return new Date(Date.now() - durationMs(value));
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since ${value}: a duration (90s, 30m, 1h, 7d) or an ISO date`);
  return date;
}

async function run(values: Values, pool: pg.Pool, store: { schema: string; retention?: string }): Promise<number> {
  const print = (body: unknown, text: string) => console.log(values.json ? JSON.stringify(body, null, 2) : text);
  if (values.trace) {
    const events = await eventsOfTrace(pool, store.schema, values.trace);
    if (events.length === 0) {
      console.error(`✗ no audit events for trace ${values.trace}`);
      return 1;
    }
    print({ traceId: values.trace, events }, formatAuditStory(values.trace, events));
    return 0;
  }
  if (values.subject) {
    const limit = Number(values.limit ?? 50);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit: a whole number above 0');
    const since = sinceOf(values.since);
    const events = await requestsOfSubject(pool, store.schema, values.subject, since, limit);
    print({ subject: values.subject, since: since.toISOString(), requests: events }, formatAuditRequests(values.subject, since, events));
    return 0;
  }
  if (!store.retention || store.retention === 'off') throw new UsageError('--prune needs a retention: --retention 30d, or audit.postgres.retention');
  const before = new Date(Date.now() - durationMs(store.retention));
  const client = await pool.connect();
  try {
    await createAuditTables(client, store.schema);
  } finally {
    client.release();
  }
  const deleted = await pruneAuditEvents(pool, store.schema, before);
  print({ deleted, before: before.toISOString() }, `✓ deleted ${deleted} audit events older than ${before.toISOString()} (${store.retention})`);
  return 0;
}

/** Runs `deputy audit ...` and resolves to the process's exit code. */
export async function runAuditCommand(args: string[]): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({ args, options: OPTIONS, strict: true }).values;
  } catch (error) {
    console.error(`deputy audit: ${(error as Error).message}\n\n${AUDIT_HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(AUDIT_HELP);
    return 0;
  }
  if ([values.trace, values.subject, values.prune || undefined].filter(Boolean).length !== 1) {
    console.error(`deputy audit: give one of --trace, --subject or --prune\n\n${AUDIT_HELP}`);
    return 2;
  }
  let pool: pg.Pool | undefined;
  try {
    const store = storeOf(values);
    pool = new pg.Pool({ connectionString: store.url, max: 1, connectionTimeoutMillis: 5000 });
    pool.on('error', () => undefined);
    return await run(values, pool, store);
  } catch (error) {
    if (error instanceof UsageError) console.error(`deputy audit: ${error.message}`);
    else if ((error as { code?: string }).code === '42P01') console.error(`deputy audit: no audit table in that schema (has a router with audit.sink postgres written to it?)`);
    else console.error(`deputy audit: ${(error as Error).message}`);
    return 2;
  } finally {
    await pool?.end().catch(() => undefined);
  }
}
