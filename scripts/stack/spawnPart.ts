import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { packagePath } from '../../lib/packagePath.js';

/** A child process of the stack, its output prefixed with its name. */
export interface Part {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  alive(): boolean;
  /** The last lines the part wrote to stderr (what to show when it dies). */
  lastErrors(): string[];
}

const KEPT_ERROR_LINES = 5;

/**
 * How node runs one entry point (a source path such as `router/cli.ts`): its compiled
 * JavaScript under dist/ when this file is itself compiled (`npm start`), else the TypeScript
 * source through tsx (tests and development, where tsx is installed).
 */
export function entryArgs(entry: string, compiled = import.meta.url.endsWith('.js')): string[] {
  return compiled ? [packagePath('dist', entry.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', packagePath(entry)];
}

/**
 * Spawns node on `entry` with an IPC channel: the child stops itself when the channel closes,
 * so even a killed parent leaves no orphan holding a port.
 */
export function spawnPart(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Part {
  const child = spawn(process.execPath, [...entryArgs(entry), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const label = name.padEnd(9);
  const errors: string[] = [];
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => console.log(`[${label}] ${line}`));
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      console.log(`[${label}] ${line}`);
      errors.push(line);
      if (errors.length > KEPT_ERROR_LINES) errors.shift();
    });
  }
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      running = false;
      resolve(code);
    }),
  );
  return { name, child, exited, alive: () => running, lastErrors: () => [...errors] };
}
