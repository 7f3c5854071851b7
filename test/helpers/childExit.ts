import type { ChildProcess } from 'node:child_process';

/**
 * The exit code of `child` (null when a signal ended it), waiting at most `timeoutMs` from now;
 * else a sentence saying so, so that a test's assertion on the code names the hang.
 */
export function childExit(child: ChildProcess, timeoutMs: number): Promise<number | null | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => resolve(`no exit within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
