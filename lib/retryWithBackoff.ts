import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `attempt` until it succeeds, waiting 250 ms doubling to 5 s between tries: a dependency
 * briefly down at start delays readiness, it does not end the process. Each new problem (by
 * message) is told once to `report`. Rejects at once with an error `retryable` refuses, or
 * when `signal` aborts (the process is stopping).
 */
export async function retryWithBackoff<T>(attempt: () => Promise<T>, report: (problem: string) => void, signal: AbortSignal, retryable: (error: unknown) => boolean = () => true): Promise<T> {
  let delay = 250;
  let lastProblem = '';
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error)) throw error;
      const problem = (error as Error).message;
      if (problem !== lastProblem) report(problem);
      lastProblem = problem;
    }
    await sleep(delay, undefined, { signal });
    delay = Math.min(delay * 2, 5000);
  }
}
