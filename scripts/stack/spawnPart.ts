import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process of the stack, its output prefixed with its name. */
export interface Part {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  alive(): boolean;
}

/**
 * Spawns `node --import tsx <entry> <args>` with an IPC channel: the child stops itself when
 * the channel closes, so even a killed parent leaves no orphan holding a port.
 */
export function spawnPart(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Part {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const label = name.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`[${label}] ${line}`));
  }
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  return { name, child, exited, alive: () => running };
}
