import type { PoolClient } from 'pg';

/** A PostgreSQL schema name the registry may use: letters, digits and underscores (it is spliced into SQL). */
export function checkSchemaName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,50}$/.test(name)) throw new Error(`registry.postgres.schema must be letters, digits and underscores (got ${JSON.stringify(name)})`);
  return name;
}

/** The NOTIFY channel on which a new current version is announced. */
export function versionChannel(schema: string): string {
  return `${schema}_versions`.toLowerCase();
}

// Concurrent CREATE ... IF NOT EXISTS can still collide in PostgreSQL's catalog: the first
// router to start creates the tables under an advisory lock, the others wait for it.
const MIGRATION_LOCK = 'SELECT pg_advisory_lock(hashtext($1))';
const MIGRATION_UNLOCK = 'SELECT pg_advisory_unlock(hashtext($1))';

function tables(schema: string): string {
  return `
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.versions (
      version integer PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      action text NOT NULL CHECK (action IN ('initial', 'publish', 'rollback', 'reload')),
      client text NOT NULL,
      subgraph text,
      rollback_of integer REFERENCES ${schema}.versions (version),
      supergraph_hash text NOT NULL,
      supergraph_sdl text NOT NULL,
      subgraphs jsonb NOT NULL,
      changes jsonb NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${schema}.approvals (
      id bigserial PRIMARY KEY,
      field text NOT NULL,
      owner text NOT NULL,
      taker text NOT NULL,
      approved_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_in_version integer REFERENCES ${schema}.versions (version)
    );
    CREATE INDEX IF NOT EXISTS approvals_unused ON ${schema}.approvals (taker) WHERE used_in_version IS NULL;
    CREATE TABLE IF NOT EXISTS ${schema}.field_usage (
      bucket timestamptz NOT NULL,
      field text NOT NULL,
      client_id text NOT NULL,
      operation_name text NOT NULL,
      count bigint NOT NULL,
      last_seen timestamptz NOT NULL,
      PRIMARY KEY (field, bucket, client_id, operation_name)
    );`;
}

/** Creates the registry's schema and tables if they do not exist yet (idempotent, safe for routers starting together). */
export async function createRegistryTables(client: PoolClient, schema: string): Promise<void> {
  await client.query(MIGRATION_LOCK, [schema]);
  try {
    await client.query(tables(schema));
  } finally {
    await client.query(MIGRATION_UNLOCK, [schema]);
  }
}
