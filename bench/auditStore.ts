import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL of the postgres-sink configuration: DEPUTY_BENCH_POSTGRES_URL, else the machine's. */
const URL = process.env.DEPUTY_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One gateway run's audit store: a schema of its own, its rows counted, dropped afterwards. */
export interface BenchAuditStore {
  /** The router's `audit` configuration block. */
  config: Record<string, unknown>;
  rows(): Promise<number>;
  drop(): Promise<void>;
}

/** A fresh audit store in PostgreSQL for one configuration's gateway process. */
export function benchAuditStore(): BenchAuditStore {
  const schema = `deputy_bench_audit_${randomBytes(4).toString('hex')}`;
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    try {
      return (await client.query(text)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    config: { sink: 'postgres', postgres: { url: URL, schema } },
    rows: async () => Number((await query(`SELECT count(*) AS n FROM ${schema}.audit_events`).catch(() => [{ n: 0 }]))[0].n),
    drop: async () => void (await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
}
