import { spawn, type ChildProcess } from 'node:child_process';

/** A benchmark process, started and ready. */
export interface Ready {
  child: ChildProcess;
  line: string;
  stop(): Promise<void>;
}

/**
 * Spawns `<node> --import tsx <script>` (or any argv) and waits for a stdout line matching
 * `ready`; fails with the process's output if it exits first or takes over `timeoutMs`.
 */
export function spawnReady(node: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 60_000): Promise<Ready> {
  const child = spawn(node, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${args.join(' ')}: ${why}\n${output.slice(-2000)}`));
    };
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((candidate) => ready.test(candidate));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line, stop });
      }
    });
    child.once('exit', (code) => fail(`exited with ${code}`));
  });
}
