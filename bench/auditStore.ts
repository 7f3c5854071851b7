import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Window } from './exchangeLatency.js';

/** The PostgreSQL of the postgres-sink configuration: DEPUTY_BENCH_POSTGRES_URL, else the machine's. */
const URL = process.env.DEPUTY_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One gateway run's audit store: a schema of its own, its rows counted, dropped afterwards. */
export interface BenchAuditStore {
  /** The router's `audit` configuration block. */
  config: Record<string, unknown>;
  rows(): Promise<number>;
  /** The `latencyMs` of the `token.exchange` events written within `window`. */
  exchangeLatencies(window: Window): Promise<number[]>;
  drop(): Promise<void>;
}

/** A fresh audit store in PostgreSQL for one configuration's gateway process. */
export function benchAuditStore(): BenchAuditStore {
  const schema = `deputy_bench_audit_${randomBytes(4).toString('hex')}`;
  const query = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    config: { sink: 'postgres', postgres: { url: URL, schema } },
    rows: async () => Number((await query(`SELECT count(*) AS n FROM ${schema}.audit_events`).catch(() => [{ n: 0 }]))[0].n),
    exchangeLatencies: async ({ from, to }) =>
      (
        await query(`SELECT (data->>'latencyMs')::float8 AS ms FROM ${schema}.audit_events WHERE event = 'token.exchange' AND time BETWEEN $1 AND $2`, [new Date(from), new Date(to)])
      ).map((row) => Number(row.ms)),
    drop: async () => void (await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
}
