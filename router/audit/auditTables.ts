import type { ClientBase } from 'pg';

/** A PostgreSQL schema name the audit store may use: letters, digits and underscores (it is spliced into SQL). */
export function checkAuditSchemaName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,50}$/.test(name)) throw new Error(`audit.postgres.schema must be letters, digits and underscores (got ${JSON.stringify(name)})`);
  return name;
}

/** The transaction-local setting under which the append-only trigger lets a retention DELETE through. */
export const RETENTION_SETTING = 'deputy.audit_retention';

// Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers, except a DELETE made while
// RETENTION_SETTING is 'on' in the same transaction (the retention job's). This stops accidents
// and a careless client; it does not stop the owning role, which can drop the trigger, nor any
// role holding DELETE, which can set the setting too: README "Audit store" gives the router a
// role with INSERT and SELECT only.
function tables(schema: string): string {
  return `
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.audit_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      time timestamptz NOT NULL,
      event text NOT NULL,
      trace_id text,
      subject text,
      client text,
      data jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS audit_events_trace_id ON ${schema}.audit_events (trace_id);
    CREATE INDEX IF NOT EXISTS audit_events_subject_time ON ${schema}.audit_events (subject, time);
    CREATE INDEX IF NOT EXISTS audit_events_time ON ${schema}.audit_events (time);
    CREATE OR REPLACE FUNCTION ${schema}.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF lower(TG_OP) = 'delete' AND current_setting('${RETENTION_SETTING}', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    DROP TRIGGER IF EXISTS audit_events_append_only ON ${schema}.audit_events;
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON ${schema}.audit_events
      FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_events_append_only();
    DROP TRIGGER IF EXISTS audit_events_no_truncate ON ${schema}.audit_events;
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON ${schema}.audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_events_append_only();`;
}

/**
 * Creates the audit table, its indexes and its append-only triggers when the table does not
 * exist yet. An existing table is left as it is: a router whose role may only INSERT and
 * SELECT (the owner created the table) never needs DDL. Routers starting together take turns
 * under an advisory lock.
 */
export async function createAuditTables(client: ClientBase, schema: string): Promise<void> {
  const exists = async () => (await client.query('SELECT to_regclass($1) AS name', [`${schema}.audit_events`])).rows[0].name !== null;
  if (await exists()) return;
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [`${schema}.audit_events`]);
  try {
    if (!(await exists())) await client.query(tables(schema));
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`${schema}.audit_events`]);
  }
}
