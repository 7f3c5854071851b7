import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/** How often the retention job runs. */
export const RETENTION_EVERY_MS = 10 * 60_000;
/** How long after start it runs the first time (a router restarted often still prunes). */
const FIRST_RUN_MS = 30_000;

/**
 * Runs `prune` FIRST_RUN_MS after start and then every RETENTION_EVERY_MS, one run at a time. A
 * failure (PostgreSQL away, a role that may not delete) is reported as `audit_retention`, never
 * thrown: the next run tries again. `stop` cancels the next run and waits for one in progress.
 */
export function scheduleRetention(prune: () => Promise<number>, errors?: SwallowedErrors): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const next = (ms: number) => {
    timer = setTimeout(() => {
      running = prune().then(
        () => errors?.recovered('audit_retention'),
        (error: unknown) => errors?.failed('audit_retention', error),
      );
      void running.finally(() => {
        running = undefined;
        if (!stopped) next(RETENTION_EVERY_MS);
      });
    }, ms).unref();
  };
  next(FIRST_RUN_MS);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
