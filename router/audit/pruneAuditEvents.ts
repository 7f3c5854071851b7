import type pg from 'pg';
import { RETENTION_SETTING } from './auditTables.js';

/** Rows one retention DELETE removes at most: short transactions, no long lock on the table. */
export const PRUNE_BATCH = 10_000;

/**
 * Deletes the audit events older than `before`, oldest first, PRUNE_BATCH rows per transaction
 * (at most `maxBatches` of them), each under the setting the append-only trigger lets through.
 * Resolves to the number of rows deleted.
 */
export async function pruneAuditEvents(pool: pg.Pool, schema: string, before: Date, maxBatches = 100): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const client = await pool.connect();
    let count: number;
    try {
      await client.query('begin');
      await client.query('SELECT set_config($1, $2, true)', [RETENTION_SETTING, 'on']);
      const result = await client.query(`DELETE FROM ${schema}.audit_events WHERE id IN (SELECT id FROM ${schema}.audit_events WHERE time < $1 ORDER BY time LIMIT $2)`, [before, PRUNE_BATCH]);
      await client.query('commit');
      count = result.rowCount ?? 0;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    deleted += count;
    if (count < PRUNE_BATCH) break;
  }
  return deleted;
}
