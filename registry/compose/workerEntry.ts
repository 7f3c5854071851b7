import type { WorkerOptions } from 'node:worker_threads';

/** What `new Worker(filename, options)` needs to run one module as a worker thread. */
export interface WorkerEntry {
  filename: string | URL;
  options: WorkerOptions;
}

/**
 * How a worker thread runs a module given by its source URL
 * (`workerEntry(new URL('./compositionWorker.ts', import.meta.url))`): its compiled .js when this
 * file is itself compiled (dist/, plain node, where the URL already points into dist/), else the
 * .ts source through tsx (tests, development); the rule scripts/stack/spawnPart.ts `entryArgs`
 * applies to child processes.
 */
export function workerEntry(source: URL, compiled = import.meta.url.endsWith('.js')): WorkerEntry {
  if (compiled) return { filename: new URL(source.href.replace(/\.ts$/, '.js')), options: {} };
  // On Node 20, `execArgv: ['--import', 'tsx']` leaves a worker unable to load .ts (tsx hooks only
  // the main thread there): the worker registers tsx's loader itself, then imports its entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return { filename: bootstrap, options: { eval: true } };
}
