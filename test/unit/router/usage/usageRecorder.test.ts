import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FieldUsage } from '../../../../registry/store/registryStore.js';
import { UsageRecorder, type UsageRecorderOptions } from '../../../../router/usage/usageRecorder.js';

/** A sink that remembers each call and fails when told to. */
function fakeSink() {
  const calls: { rows: FieldUsage[]; at: Date }[] = [];
  let failures = 0;
  return {
    calls,
    failNext(times = 1) {
      failures = times;
    },
    async recordUsage(rows: FieldUsage[], at: Date) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('store unavailable');
      }
      calls.push({ rows, at });
    },
  };
}

const sorted = (rows: FieldUsage[]) => [...rows].sort((a, b) => `${a.clientId} ${a.operationName} ${a.field}`.localeCompare(`${b.clientId} ${b.operationName} ${b.field}`));

const recorders: UsageRecorder[] = [];
function recorder(options: Partial<UsageRecorderOptions> & Pick<UsageRecorderOptions, 'sink'>) {
  const made = new UsageRecorder({ flushIntervalMs: 0, ...options });
  recorders.push(made);
  return made;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const made of recorders.splice(0)) await made.stop().catch(() => undefined);
});

describe('UsageRecorder', () => {
  it('aggregates counts per client id, operation name and field, with anonymous operations and callers named', async () => {
    const sink = fakeSink();
    const at = new Date('2026-01-01T00:00:00Z');
    const usage = recorder({ sink, now: () => at });
    usage.record('web', 'Books', ['Query.book', 'Book.title']);
    usage.record('web', 'Books', ['Query.book', 'Book.title']);
    usage.record('mobile', 'Books', ['Query.book']);
    usage.record('web', null, ['Query.authors']);
    usage.record(undefined, undefined, ['Query.authors']);
    await usage.flush();
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]!.at).toBe(at);
    expect(sorted(sink.calls[0]!.rows)).toEqual([
      { clientId: '__anonymous__', operationName: '__anonymous__', field: 'Query.authors', count: 1 },
      { clientId: 'mobile', operationName: 'Books', field: 'Query.book', count: 1 },
      { clientId: 'web', operationName: '__anonymous__', field: 'Query.authors', count: 1 },
      { clientId: 'web', operationName: 'Books', field: 'Book.title', count: 2 },
      { clientId: 'web', operationName: 'Books', field: 'Query.book', count: 2 },
    ]);
  });

  it('clears what it flushed, and does not call the sink with nothing', async () => {
    const sink = fakeSink();
    const usage = recorder({ sink });
    usage.record('web', 'Books', ['Query.book']);
    await usage.flush();
    expect(usage.size).toBe(0);
    await usage.flush();
    expect(sink.calls).toHaveLength(1);
  });

  it('holds at most maxKeys distinct keys, counts the rest as dropped and reports them once per flush', async () => {
    const sink = fakeSink();
    const onDropped = vi.fn();
    const usage = recorder({ sink, maxKeys: 3, onDropped });
    usage.record('web', 'A', ['Query.book', 'Book.title']);
    usage.record('web', 'B', ['Query.book', 'Book.title']);
    usage.record('web', 'B', ['Query.book', 'Book.title']);
    expect(usage.size).toBe(3);
    expect(onDropped).not.toHaveBeenCalled();
    await usage.flush();
    expect(onDropped).toHaveBeenCalledTimes(1);
    expect(onDropped).toHaveBeenCalledWith(2, 3);
    expect(sorted(sink.calls[0]!.rows)).toEqual([
      { clientId: 'web', operationName: 'A', field: 'Book.title', count: 1 },
      { clientId: 'web', operationName: 'A', field: 'Query.book', count: 1 },
      { clientId: 'web', operationName: 'B', field: 'Query.book', count: 2 },
    ]);
    usage.record('web', 'B', ['Book.title']);
    await usage.flush();
    expect(onDropped).toHaveBeenCalledTimes(1);
    expect(sink.calls[1]!.rows).toEqual([{ clientId: 'web', operationName: 'B', field: 'Book.title', count: 1 }]);
  });

  it('drops every field of a new operation once full, and gives no room to an operation that used no field', async () => {
    const sink = fakeSink();
    const onDropped = vi.fn();
    const usage = recorder({ sink, maxKeys: 1, onDropped });
    usage.record('web', 'Typename', []);
    usage.record('web', 'A', ['Query.book']);
    usage.record('web', 'B', ['Query.book', 'Book.title']);
    await usage.flush();
    expect(onDropped).toHaveBeenCalledWith(2, 1);
    expect(sink.calls[0]!.rows).toEqual([{ clientId: 'web', operationName: 'A', field: 'Query.book', count: 1 }]);
  });

  it('keeps the rows when the sink rejects and merges them into the next flush', async () => {
    const sink = fakeSink();
    const usage = recorder({ sink });
    usage.record('web', 'Books', ['Query.book', 'Book.title']);
    sink.failNext();
    await expect(usage.flush()).rejects.toThrow('store unavailable');
    expect(usage.size).toBe(2);
    usage.record('web', 'Books', ['Query.book']);
    await usage.flush();
    expect(sorted(sink.calls[0]!.rows)).toEqual([
      { clientId: 'web', operationName: 'Books', field: 'Book.title', count: 1 },
      { clientId: 'web', operationName: 'Books', field: 'Query.book', count: 2 },
    ]);
  });

  it('stays within maxKeys when rows handed back by a failed flush meet new ones', async () => {
    let reject!: (error: Error) => void;
    const calls: FieldUsage[][] = [];
    const sink = {
      recordUsage: (rows: FieldUsage[]) => {
        calls.push(rows);
        return calls.length === 1 ? new Promise<void>((_, fail) => (reject = fail)) : Promise.resolve();
      },
    };
    const onDropped = vi.fn();
    const usage = recorder({ sink, maxKeys: 2, onDropped });
    usage.record('web', 'Old', ['Query.book', 'Book.title']);
    const failing = usage.flush();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    usage.record('web', 'New', ['Query.authors', 'Author.name']);
    reject(new Error('store unavailable'));
    await expect(failing).rejects.toThrow('store unavailable');
    expect(usage.size).toBe(2);
    await usage.flush();
    expect(onDropped).toHaveBeenCalledWith(2, 2);
    expect(sorted(calls[1]!)).toEqual([
      { clientId: 'web', operationName: 'New', field: 'Author.name', count: 1 },
      { clientId: 'web', operationName: 'New', field: 'Query.authors', count: 1 },
    ]);
  });

  it('flushes on its timer, reports a failed timer flush, and flushes once more on stop', async () => {
    vi.useFakeTimers();
    const sink = fakeSink();
    const onFlushError = vi.fn();
    const usage = new UsageRecorder({ sink, flushIntervalMs: 1000, onFlushError });
    usage.record('web', 'Books', ['Query.book']);
    sink.failNext();
    await vi.advanceTimersByTimeAsync(1000);
    expect(onFlushError).toHaveBeenCalledWith(expect.objectContaining({ message: 'store unavailable' }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sink.calls).toHaveLength(1);
    usage.record('web', 'Books', ['Query.book']);
    await usage.stop();
    expect(sink.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sink.calls).toHaveLength(2);
  });
});
