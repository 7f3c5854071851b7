/**
 * Work in flight, by key: whoever asks for a key whose work is running joins it instead of
 * starting its own. Nothing is kept once the work settles, so a later ask starts afresh
 * (this shares, it never caches).
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** The running work of `key`, joined, or `work()` started now; `joined` says which. */
  run(key: string, work: () => Promise<T>): { result: Promise<T>; joined: boolean } {
    const running = this.running.get(key);
    if (running) return { result: running, joined: true };
    // Started on the next microtask, so a synchronous throw settles `result` too, and the entry
    // is gone before anyone sees the outcome.
    const result = Promise.resolve()
      .then(work)
      .finally(() => this.running.delete(key));
    this.running.set(key, result);
    return { result, joined: false };
  }

  /** How many keys have work running. */
  get size(): number {
    return this.running.size;
  }
}
