import { spawn } from 'node:child_process';

/** How long a script may run by default before it is stopped (SIGTERM); below the 30 s test timeout. */
export const SCRIPT_TIMEOUT_MS = 20_000;

/**
 * Runs `node --import tsx <script> <args>` from the repository root and collects its output.
 * A script still running after `timeoutMs` is stopped and its stderr says so: the wait is
 * bounded, so the test's own timeout can cover it.
 */
export function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = SCRIPT_TIMEOUT_MS,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    // SIGTERM, not SIGKILL: a script that started processes (npm start) stops them. It may then exit 0.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[runScript] ${script} was still running after ${timeoutMs} ms: stopped (SIGTERM)`;
      resolve({ code, stdout, stderr });
    });
  });
}
