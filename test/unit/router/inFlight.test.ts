import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../router/delegation/inFlight.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('runs the work of a key once for everyone asking while it runs', async () => {
    const inFlight = new InFlight<string>();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => (runs++, gate.promise);
    const first = inFlight.run('k', work);
    const second = inFlight.run('k', work);
    const other = inFlight.run('other', async () => 'other');
    expect([first.joined, second.joined, other.joined]).toEqual([false, true, false]);
    gate.resolve('answer');
    expect(await Promise.all([first.result, second.result, other.result])).toEqual(['answer', 'answer', 'other']);
    expect(runs).toBe(1);
  });

  it('keeps nothing once the work settles: a later ask runs it again', async () => {
    const inFlight = new InFlight<number>();
    let runs = 0;
    await inFlight.run('k', async () => ++runs).result;
    expect(inFlight.size).toBe(0);
    const again = inFlight.run('k', async () => ++runs);
    expect(again.joined).toBe(false);
    expect(await again.result).toBe(2);
  });

  it('hands the same failure to everyone who joined, and forgets it', async () => {
    const inFlight = new InFlight<never>();
    const gate = deferred<never>();
    const first = inFlight.run('k', () => gate.promise);
    const second = inFlight.run('k', () => gate.promise);
    const failure = new Error('unreachable');
    gate.reject(failure);
    await expect(first.result).rejects.toBe(failure);
    await expect(second.result).rejects.toBe(failure);
    expect(inFlight.size).toBe(0);
  });

  it('settles and forgets work that throws before returning a promise', async () => {
    const inFlight = new InFlight<never>();
    const { result } = inFlight.run('k', () => {
      throw new Error('at once');
    });
    await expect(result).rejects.toThrow('at once');
    expect(inFlight.size).toBe(0);
  });

  it('goes on for the others when one who joined stops waiting', async () => {
    const inFlight = new InFlight<string>();
    const gate = deferred<string>();
    const leaving = new AbortController();
    const first = inFlight.run('k', () => gate.promise);
    const second = inFlight.run('k', () => gate.promise);
    const gaveUp = Promise.race([first.result, new Promise((_, reject) => leaving.signal.addEventListener('abort', () => reject(new Error('left'))))]);
    leaving.abort();
    await expect(gaveUp).rejects.toThrow('left');
    gate.resolve('answer');
    expect(await second.result).toBe('answer');
  });
});
