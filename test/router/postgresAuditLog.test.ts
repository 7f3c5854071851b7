import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAuditLog, type PostgresAuditOptions } from '../../router/audit/postgresAuditLog.js';
import { TEST_POSTGRES_URL, dropSchema, sql, uniqueSchema } from '../helpers/postgres.js';
import { cuttablePostgres } from '../helpers/cuttablePostgres.js';

// The postgres audit sink against a real PostgreSQL (and a relay that can be cut): batches off
// the caller's path, an outage waited out, overflow counted, retention, shutdown.

const DAY_MS = 86_400_000;

describe('the postgres audit sink', () => {
  const schemas: string[] = [];
  const sinkFor = (label: string, options: Partial<PostgresAuditOptions> = {}) => {
    const schema = uniqueSchema(label);
    schemas.push(schema);
    const overflowed: Record<string, number> = {};
    const sink = postgresAuditLog({
      url: TEST_POSTGRES_URL,
      schema,
      batchSize: 100,
      flushIntervalMs: 50,
      maxBuffered: 1000,
      onOverflow: (outcome, count) => (overflowed[outcome] = (overflowed[outcome] ?? 0) + count),
      ...options,
    });
    const rows = async () => (await sql<{ count: string }>(`SELECT count(*) FROM ${schema}.audit_events`).catch(() => [{ count: '0' }]))[0].count;
    return { sink, schema, overflowed, rows: async () => Number(await rows()) };
  };
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it('returns from write at once and writes the events in batches, each row findable by trace id, subject and client', async () => {
    const { sink, schema, rows } = sinkFor('batches');
    const started = performance.now();
    for (let i = 0; i < 250; i++) sink.write({ event: 'request', traceId: `t${i % 5}`, subject: 'alice', client: 'web-app', outcome: 'ok' });
    expect(performance.now() - started).toBeLessThan(50);
    expect(sink.buffered()).toBe(250);
    await expect.poll(rows).toBe(250);
    const found = await sql<{ event: string; subject: string; client: string; data: { outcome: string; time: string } }>(`SELECT event, subject, client, data FROM ${schema}.audit_events WHERE trace_id = 't3'`);
    expect(found).toHaveLength(50);
    expect(found[0]).toMatchObject({ event: 'request', subject: 'alice', client: 'web-app', data: { outcome: 'ok', time: expect.any(String) } });
    expect(sink.buffered()).toBe(0);
    await sink.close();
  });

  it('stores a NUL character as U+FFFD rather than failing the batch it is in', async () => {
    const { sink, schema, rows } = sinkFor('nul');
    sink.write({ event: 'request', traceId: 'nul', subject: 'a\u0000b', note: 'c\u0000d \\u0000' });
    sink.write({ event: 'request', traceId: 'nul', subject: 'plain' });
    await expect.poll(rows).toBe(2);
    const [row] = await sql<{ subject: string; data: { note: string } }>(`SELECT subject, data FROM ${schema}.audit_events WHERE trace_id = 'nul' ORDER BY id LIMIT 1`);
    expect(row).toEqual({ subject: 'a\uFFFDb', data: expect.objectContaining({ note: 'c\uFFFDd \\u0000' }) });
    await sink.close();
  });

  it('keeps the events while PostgreSQL is away, writes them once it is back, and counts what its buffer cannot hold', async () => {
    const relay = await cuttablePostgres();
    const { sink, rows, overflowed } = sinkFor('outage', { url: relay.url, maxBuffered: 20 });
    sink.write({ event: 'request', traceId: 'before' });
    await expect.poll(rows).toBe(1);
    await relay.cut();
    for (let i = 0; i < 25; i++) sink.write({ event: 'request', traceId: `during-${i}` });
    expect(overflowed).toEqual({ dropped: 5 });
    // It tries, fails, and keeps them (never more than its buffer).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.buffered()).toBe(20);
    expect(sink.lagSeconds()).toBeGreaterThan(0);
    const back = await cuttablePostgres(relay.port);
    try {
      await expect.poll(rows, { timeout: 15_000 }).toBe(21);
      expect(sink.buffered()).toBe(0);
    } finally {
      await sink.close();
      await back.cut();
    }
  }, 30_000);

  it('deletes on prune only the events older than its retention', async () => {
    const { sink, schema, rows } = sinkFor('retention', { retentionMs: 30 * DAY_MS });
    sink.write({ event: 'request', traceId: 'recent' });
    await expect.poll(rows).toBe(1);
    await sql(`INSERT INTO ${schema}.audit_events (time, event, trace_id, data) VALUES (now() - interval '31 days', 'request', 'old', '{}'), (now() - interval '29 days', 'request', 'kept', '{}')`);
    expect(await sink.prune()).toBe(1);
    expect((await sql<{ trace_id: string }>(`SELECT trace_id FROM ${schema}.audit_events ORDER BY trace_id`)).map((row) => row.trace_id)).toEqual(['kept', 'recent']);
    await sink.close();
  });

  it('writes as a role that may only INSERT and SELECT once the owner made the table, and that role cannot delete, even for retention', async () => {
    const owner = sinkFor('grants');
    owner.sink.write({ event: 'request', traceId: 'by-owner' });
    await expect.poll(owner.rows).toBe(1);
    await owner.sink.close();
    const role = `deputy_test_router_${owner.schema.slice(-8)}`;
    await sql(`CREATE ROLE ${role} LOGIN`);
    try {
      await sql(`GRANT USAGE ON SCHEMA ${owner.schema} TO ${role}`);
      await sql(`GRANT SELECT, INSERT ON ${owner.schema}.audit_events TO ${role}`);
      const url = new URL(TEST_POSTGRES_URL);
      url.username = role;
      const restricted = postgresAuditLog({ url: url.toString(), schema: owner.schema, batchSize: 10, flushIntervalMs: 50, maxBuffered: 100, retentionMs: 0 });
      restricted.write({ event: 'request', traceId: 'by-router' });
      await expect.poll(owner.rows).toBe(2);
      await expect(restricted.prune()).rejects.toThrow(/permission denied/);
      await restricted.close();
      expect(await owner.rows()).toBe(2);
    } finally {
      await sql(`DROP OWNED BY ${role}`);
      await sql(`DROP ROLE ${role}`);
    }
  });

  it('writes what is buffered when closed, and sends what it cannot write to the fallback file, counted', async () => {
    const { sink, rows } = sinkFor('close', { flushIntervalMs: 60_000 });
    sink.write({ event: 'request', traceId: 'at-stop' });
    await sink.close();
    expect(await rows()).toBe(1);

    const dir = mkdtempSync(join(tmpdir(), 'deputy-audit-fallback-'));
    const relay = await cuttablePostgres();
    await relay.cut();
    const fallbackFile = join(dir, 'audit.jsonl');
    const away = sinkFor('away', { url: relay.url, flushIntervalMs: 60_000, fallbackFile });
    away.sink.write({ event: 'request', traceId: 'unwritten' });
    await away.sink.close(1000);
    expect(JSON.parse(readFileSync(fallbackFile, 'utf8'))).toMatchObject({ event: 'request', traceId: 'unwritten', time: expect.any(String) });
    expect(away.overflowed).toEqual({ fallback: 1 });
    rmSync(dir, { recursive: true, force: true });
  });
});
