import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: DEPUTY_TEST_POSTGRES_URL, else the machine's (127.0.0.1:5432, database test). */
export const TEST_POSTGRES_URL = process.env.DEPUTY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A PostgreSQL schema name of this test run's own, so parallel test files never share tables. */
export function uniqueSchema(label: string): string {
  return `deputy_test_${label}_${randomBytes(4).toString('hex')}`;
}

/** Drops a test's schema and everything in it. */
export async function dropSchema(schema: string, url = TEST_POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one statement against the test database (to inspect or disturb what the registry wrote). */
export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = [], url = TEST_POSTGRES_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}
