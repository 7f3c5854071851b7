import type { FieldUsage } from '../../registry/store/registryStore.js';
import { UsageTally } from './usageTally.js';

/** The operation name recorded for an operation without one. */
export const ANONYMOUS_OPERATION = '__anonymous__';
/** The client id recorded for a request without a token (when anonymous access is on). */
export const ANONYMOUS_CLIENT = '__anonymous__';

/** Where aggregated usage goes: the part of `RegistryStore` the recorder needs. */
export interface UsageSink {
  recordUsage(rows: FieldUsage[], at: Date): Promise<void>;
}

/** Options of `UsageRecorder`; defaults beside each. */
export interface UsageRecorderOptions {
  sink: UsageSink;
  /** Distinct (client id, operation name, field) triples held between flushes. Default 10,000. */
  maxKeys?: number;
  /** How often the timer flushes; 0: only `flush()` and `stop()` do. Default 5000. */
  flushIntervalMs?: number;
  /** Hears, once per flush, how many field uses were dropped because `maxKeys` was reached since the last one. */
  onDropped?: (dropped: number, maxKeys: number) => void;
  /** Hears why a timer flush failed (its rows are kept for the next flush). */
  onFlushError?: (error: unknown) => void;
  /** The time a flush stamps on its rows. Default the wall clock. */
  now?: () => Date;
}

/**
 * Aggregates which fields each client's operations used, in memory and bounded, and hands the
 * counts to the sink on a timer. What it keeps is the client id, the operation name, the field
 * coordinate and a count: never variables, user ids or tokens.
 */
export class UsageRecorder {
  private tally: UsageTally;
  private readonly maxKeys: number;
  private readonly timer: NodeJS.Timeout | undefined;
  // Flushes run one after another, so rows handed back by a failed one merge before the next takes its own.
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: UsageRecorderOptions) {
    this.maxKeys = options.maxKeys ?? 10_000;
    this.tally = new UsageTally(this.maxKeys);
    const interval = options.flushIntervalMs ?? 5000;
    if (interval > 0) {
      // A slow sink is not called again while a flush waits on it; the timer never keeps the process alive.
      this.timer = setInterval(() => {
        if (this.pending === 0) this.flush().catch((error: unknown) => this.options.onFlushError?.(error));
      }, interval);
      this.timer.unref();
    }
  }

  /** Counts one execution of `operationName` (undefined or null: anonymous) by `clientId` that used `fields`. */
  record(clientId: string | undefined, operationName: string | null | undefined, fields: readonly string[]): void {
    this.tally.add(clientId || ANONYMOUS_CLIENT, operationName || ANONYMOUS_OPERATION, fields);
  }

  /** Distinct (client id, operation name, field) triples waiting for the next flush. */
  get size(): number {
    return this.tally.size;
  }

  /**
   * Hands every count so far to the sink and starts again from none. If the sink rejects, this
   * rejects with its error and the rows are merged into the next flush (within `maxKeys`).
   */
  flush(): Promise<void> {
    this.pending += 1;
    const run = this.queue.then(() => this.flushOnce()).finally(() => (this.pending -= 1));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and flushes one last time. */
  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.flush();
  }

  private async flushOnce(): Promise<void> {
    const taken = this.tally;
    this.tally = new UsageTally(this.maxKeys);
    const rows = taken.rows();
    try {
      if (taken.dropped > 0) this.options.onDropped?.(taken.dropped, this.maxKeys);
      if (rows.length === 0) return;
      await this.options.sink.recordUsage(rows, this.options.now?.() ?? new Date());
    } catch (error) {
      for (const row of rows) this.tally.add(row.clientId, row.operationName, [row.field], row.count);
      throw error;
    }
  }
}
