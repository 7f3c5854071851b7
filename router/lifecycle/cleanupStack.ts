/**
 * What a start has opened, to close again: on a failed start, everything opened so far; on
 * stop, everything. Listeners close first (stop accepting, let requests in flight finish),
 * then the rest, each group in reverse order of opening, so nothing is closed while something
 * opened after it still uses it. A closer that fails is reported and the others still run.
 */
export class CleanupStack {
  private readonly listeners: (() => Promise<unknown> | unknown)[] = [];
  private readonly resources: (() => Promise<unknown> | unknown)[] = [];

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Closes a server that accepts connections, before any other resource. */
  listener(close: () => Promise<unknown> | unknown): void {
    this.listeners.push(close);
  }

  /** Closes a client, timer, sink or other resource, after the listeners. */
  resource(close: () => Promise<unknown> | unknown): void {
    this.resources.push(close);
  }

  /** Runs every closer once, listeners first, each group last-opened first. */
  async closeAll(): Promise<void> {
    for (const group of [this.listeners, this.resources]) {
      for (let close = group.pop(); close; close = group.pop()) {
        try {
          await close();
        } catch (error) {
          this.onError(error);
        }
      }
    }
  }
}
