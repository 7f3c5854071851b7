import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redisStreamAuditLog } from '../../../router/audit/redisStreamAuditLog.js';
import { RedisUnavailableError, type SharedRedis } from '../../../router/shared/sharedRedis.js';

// Unit test: a stand-in for the shared Redis that is up or down on demand and records the
// pipelines it was sent (the real Redis path is in test/resilience/fleet).

function fakeRedis() {
  const written: string[][] = [];
  const reconnects: (() => void)[] = [];
  const state = { up: true };
  const redis = {
    get connected() {
      return state.up;
    },
    onReconnect: (listener: () => void) => reconnects.push(listener),
    run: async (commands: (client: unknown) => Promise<unknown>) => {
      if (!state.up) throw new RedisUnavailableError('down');
      const batch: string[] = [];
      const pipeline = { xAdd: (_key: string, _id: string, fields: { event: string }) => batch.push(fields.event), execAsPipeline: async () => written.push(batch) };
      return commands({ multi: () => pipeline });
    },
  };
  return { redis: redis as unknown as SharedRedis, written, state, reconnect: () => reconnects.forEach((listener) => listener()) };
}

describe('the Redis audit sink', () => {
  it('writes events in pipelined batches, not one round trip each', async () => {
    const { redis, written } = fakeRedis();
    const audit = redisStreamAuditLog(redis, 'audit', { maxBuffered: 100 });
    for (let i = 0; i < 40; i++) audit.write({ event: 'delegation', i });
    await audit.flush();
    expect(written.flat()).toHaveLength(40);
    expect(written.length).toBeLessThan(40);
  });

  it('holds events while Redis is away and writes them when it returns, with the lag shown meanwhile', async () => {
    const fake = fakeRedis();
    fake.state.up = false;
    const audit = redisStreamAuditLog(fake.redis, 'audit', { maxBuffered: 100 });
    for (let i = 0; i < 5; i++) audit.write({ event: 'delegation', i });
    expect(audit.buffered()).toBe(5);
    expect(audit.lagSeconds()).toBeGreaterThanOrEqual(0);
    fake.state.up = true;
    fake.reconnect();
    await audit.flush();
    expect(audit.buffered()).toBe(0);
    expect(fake.written.flat().map((line) => (JSON.parse(line) as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('sends what the buffer cannot hold to the fallback file, and counts it', async () => {
    const fake = fakeRedis();
    fake.state.up = false;
    const file = join(mkdtempSync(join(tmpdir(), 'deputy-audit-')), 'fallback.jsonl');
    const overflow: [string, number][] = [];
    const audit = redisStreamAuditLog(fake.redis, 'audit', { maxBuffered: 3, fallbackFile: file, onOverflow: (outcome, count) => overflow.push([outcome, count]) });
    for (let i = 0; i < 5; i++) audit.write({ event: 'delegation', i });
    await audit.flush(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { i: number }).i);
    expect(lines.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(overflow.reduce((sum, [, count]) => sum + count, 0)).toBe(5);
    expect(overflow.every(([outcome]) => outcome === 'fallback')).toBe(true);
  });

  it('counts events it drops when there is no fallback file: never silent', async () => {
    const fake = fakeRedis();
    fake.state.up = false;
    const dropped: number[] = [];
    const audit = redisStreamAuditLog(fake.redis, 'audit', { maxBuffered: 2, onOverflow: (outcome, count) => outcome === 'dropped' && dropped.push(count) });
    for (let i = 0; i < 4; i++) audit.write({ event: 'delegation', i });
    await audit.flush(0);
    expect(dropped.reduce((sum, count) => sum + count, 0)).toBe(4);
  });
});
