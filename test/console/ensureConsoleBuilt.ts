import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST } from '../../router/console/serveConsole.js';

/**
 * Builds the console bundle unless it is there (`npm test` builds it first; a lone `vitest run`
 * may not have). Test files run side by side, so each builds aside and moves its build into
 * place in one step; a build that arrives second is dropped.
 */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(CONSOLE_DIST, 'index.html'))) return;
  const aside = `${CONSOLE_DIST}-build-${process.pid}`;
  execFileSync('npx', ['vite', 'build', '--config', 'console/vite.config.ts', '--outDir', aside], { stdio: 'ignore' });
  try {
    renameSync(aside, CONSOLE_DIST);
  } catch {
    rmSync(aside, { recursive: true, force: true });
  }
}
