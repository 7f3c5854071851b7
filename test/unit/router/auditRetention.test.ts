import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleRetention, RETENTION_EVERY_MS } from '../../../router/audit/auditRetention.js';
import type { SwallowedErrors } from '../../../router/observability/swallowedErrors.js';

describe('the audit retention job', () => {
  afterEach(() => vi.useRealTimers());

  it('runs 30 s after start, then every 10 minutes, and carries on after a failure, reported', async () => {
    vi.useFakeTimers();
    const reports: string[] = [];
    const errors: SwallowedErrors = { failed: (kind) => reports.push(`failed ${kind}`), recovered: (kind) => reports.push(`recovered ${kind}`) };
    let runs = 0;
    const job = scheduleRetention(async () => {
      runs += 1;
      if (runs === 2) throw new Error('permission denied for table audit_events');
      return 0;
    }, errors);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(RETENTION_EVERY_MS);
    await vi.advanceTimersByTimeAsync(RETENTION_EVERY_MS);
    expect(runs).toBe(3);
    expect(reports).toEqual(['recovered audit_retention', 'failed audit_retention', 'recovered audit_retention']);
    await job.stop();
    await vi.advanceTimersByTimeAsync(RETENTION_EVERY_MS * 3);
    expect(runs).toBe(3);
  });

  it('waits, on stop, for a run in progress', async () => {
    vi.useFakeTimers();
    let finish!: () => void;
    let finished = false;
    const job = scheduleRetention(() => new Promise<number>((resolve) => (finish = () => ((finished = true), resolve(1)))));
    await vi.advanceTimersByTimeAsync(30_000);
    const stopping = job.stop();
    finish();
    await stopping;
    expect(finished).toBe(true);
  });
});
