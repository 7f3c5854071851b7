import pg from 'pg';
import type { Approval, FieldUsage, FieldUsageSummary, RegistryStore, SchemaVersion, VersionDraft, VersionSummary } from './registryStore.js';
import { VersionConflictError } from './registryStore.js';
import { checkSchemaName, createRegistryTables, versionChannel } from './registryTables.js';
import { followVersions } from './followVersions.js';
import { registryRefusal } from '../registryRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/** Where the registry lives in PostgreSQL. */
export interface PostgresRegistryOptions {
  url: string;
  /** The PostgreSQL schema holding the tables; default `deputy_registry`. */
  schema?: string;
  /** Told about a connection that failed while idle or while following (it is retried, not fatal). */
  onError?: (error: Error) => void;
}

type Row = Record<string, unknown>;

/**
 * A failure to reach PostgreSQL (refused, dropped, timed out, the server shutting down) is the
 * registry being unavailable: 503 REGISTRY_UNAVAILABLE to the caller. An SQL error is a bug and
 * stays what it is.
 */
function unavailable(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  const sqlState = error instanceof pg.DatabaseError ? error.code : undefined;
  const socketError = typeof code === 'string' && /^E[A-Z]+$/.test(code);
  const connectionLost = sqlState ? /^(08|57P)/.test(sqlState) : socketError || /connection|timeout|terminated/i.test((error as Error).message);
  if (!connectionLost) throw error;
  throw registryRefusal(503, ErrorCode.REGISTRY_UNAVAILABLE, `the schema registry's PostgreSQL cannot be reached: ${(error as Error).message}`);
}

const SUMMARY_COLUMNS = 'version, created_at, action, client, subgraph, rollback_of, supergraph_hash, changes';

function summaryOf(row: Row): VersionSummary {
  return {
    version: row.version as number,
    createdAt: (row.created_at as Date).toISOString(),
    action: row.action as SchemaVersion['action'],
    client: row.client as string,
    ...(row.subgraph ? { subgraph: row.subgraph as string } : {}),
    ...(row.rollback_of ? { rollbackOf: row.rollback_of as number } : {}),
    supergraphHash: row.supergraph_hash as string,
    changes: row.changes as SchemaVersion['changes'],
  };
}

function versionOf(row: Row): SchemaVersion {
  return { ...summaryOf(row), supergraphSdl: row.supergraph_sdl as string, subgraphs: row.subgraphs as SchemaVersion['subgraphs'] };
}

function approvalOf(row: Row): Approval {
  return {
    field: row.field as string,
    owner: row.owner as string,
    taker: row.taker as string,
    approvedBy: row.approved_by as string,
    createdAt: (row.created_at as Date).toISOString(),
    ...(row.used_in_version ? { usedInVersion: row.used_in_version as number } : {}),
  };
}

/** Opens the registry in PostgreSQL, creating its tables on first use. */
export async function openPostgresRegistry(options: PostgresRegistryOptions): Promise<RegistryStore> {
  const schema = checkSchemaName(options.schema ?? 'deputy_registry');
  const onError = options.onError ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: options.url, max: 4, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks must not end the process: the next query opens another.
  pool.on('error', onError);
  try {
    const client = await pool.connect();
    try {
      await createRegistryTables(client, schema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw new Error(`cannot open the schema registry in PostgreSQL: ${(error as Error).message}`);
  }
  const query = async (sql: string, values: unknown[] = []) => ((await pool.query(sql, values).catch(unavailable)) as pg.QueryResult).rows as Row[];
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch(unavailable);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      return unavailable(error);
    } finally {
      client.release();
    }
  };
  const stopFollowing: (() => Promise<void>)[] = [];

  const store: RegistryStore = {
    async current() {
      const rows = await query(`SELECT * FROM ${schema}.versions ORDER BY version DESC LIMIT 1`);
      return rows[0] && versionOf(rows[0]);
    },
    async version(version) {
      const rows = await query(`SELECT * FROM ${schema}.versions WHERE version = $1`, [version]);
      return rows[0] && versionOf(rows[0]);
    },
    async history(limit) {
      return (await query(`SELECT ${SUMMARY_COLUMNS} FROM ${schema}.versions ORDER BY version DESC LIMIT $1`, [limit])).map(summaryOf);
    },
    async append(draft: VersionDraft, expectedCurrent, approvals = []) {
      return transaction(async (client) => {
        // One appender at a time per registry: the check of the current version and the insert are one step.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}.versions`]);
        const latest = (await client.query(`SELECT max(version) AS version FROM ${schema}.versions`)).rows[0].version as number | null;
        if ((latest ?? undefined) !== expectedCurrent) throw new VersionConflictError(expectedCurrent, latest ?? undefined);
        const inserted = await client.query(
          `INSERT INTO ${schema}.versions (version, action, client, subgraph, rollback_of, supergraph_hash, supergraph_sdl, subgraphs, changes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [(latest ?? 0) + 1, draft.action, draft.client, draft.subgraph ?? null, draft.rollbackOf ?? null, draft.supergraphHash, draft.supergraphSdl, JSON.stringify(draft.subgraphs), JSON.stringify(draft.changes)],
        );
        const version = versionOf(inserted.rows[0] as Row);
        for (const approval of approvals) {
          await client.query(`UPDATE ${schema}.approvals SET used_in_version = $1 WHERE field = $2 AND owner = $3 AND taker = $4 AND used_in_version IS NULL`, [
            version.version,
            approval.field,
            approval.owner,
            approval.taker,
          ]);
        }
        // Delivered to every listener when the transaction commits, never for one rolled back.
        await client.query('SELECT pg_notify($1, $2)', [versionChannel(schema), String(version.version)]);
        return version;
      });
    },
    async approve(approval) {
      return transaction(async (client) => {
        await client.query(`DELETE FROM ${schema}.approvals WHERE field = $1 AND owner = $2 AND taker = $3 AND used_in_version IS NULL`, [approval.field, approval.owner, approval.taker]);
        const inserted = await client.query(`INSERT INTO ${schema}.approvals (field, owner, taker, approved_by) VALUES ($1, $2, $3, $4) RETURNING *`, [
          approval.field,
          approval.owner,
          approval.taker,
          approval.approvedBy,
        ]);
        return approvalOf(inserted.rows[0] as Row);
      });
    },
    async approvalsFor(taker) {
      return (await query(`SELECT * FROM ${schema}.approvals WHERE taker = $1 AND used_in_version IS NULL ORDER BY id`, [taker])).map(approvalOf);
    },
    async recordUsage(rows: FieldUsage[], at) {
      if (rows.length === 0) return;
      // One statement per flush: the rows arrive as arrays and are added to their hour's counts.
      await query(
        `INSERT INTO ${schema}.field_usage (bucket, field, client_id, operation_name, count, last_seen)
         SELECT date_trunc('hour', $1::timestamptz), f, c, o, n, $1::timestamptz
         FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS u(f, c, o, n)
         ON CONFLICT (field, bucket, client_id, operation_name)
         DO UPDATE SET count = ${schema}.field_usage.count + EXCLUDED.count, last_seen = GREATEST(${schema}.field_usage.last_seen, EXCLUDED.last_seen)`,
        [at.toISOString(), rows.map((row) => row.field), rows.map((row) => row.clientId), rows.map((row) => row.operationName), rows.map((row) => row.count)],
      );
    },
    async usage(fields, since): Promise<FieldUsageSummary[]> {
      if (fields.length === 0) return [];
      const exact = fields.filter((field) => !field.endsWith('.'));
      const prefixes = fields.filter((field) => field.endsWith('.'));
      const rows = await query(
        `SELECT client_id, operation_name, field, sum(count)::bigint AS count, max(last_seen) AS last_seen
         FROM ${schema}.field_usage
         WHERE bucket >= date_trunc('hour', $1::timestamptz)
           AND (field = ANY($2::text[]) OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS p WHERE starts_with(field, p)))
         GROUP BY client_id, operation_name, field
         ORDER BY field, client_id, operation_name`,
        [since.toISOString(), exact, prefixes],
      );
      return rows.map((row) => ({
        clientId: row.client_id as string,
        operationName: row.operation_name as string,
        field: row.field as string,
        count: Number(row.count),
        lastSeen: (row.last_seen as Date).toISOString(),
      }));
    },
    async follow(listener) {
      const stop = await followVersions(options.url, versionChannel(schema), listener, async () => (await store.current())?.version, onError);
      stopFollowing.push(stop);
      return stop;
    },
    async close() {
      await Promise.all(stopFollowing.map((stop) => stop()));
      await pool.end();
    },
  };
  return store;
}
