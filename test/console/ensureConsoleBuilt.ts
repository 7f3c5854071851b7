import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST } from '../../router/console/serveConsole.js';

/** Builds the console bundle unless it is there (`npm test` builds it first; a lone `vitest run` may not have). */
export function ensureConsoleBuilt(): void {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) execFileSync('npm', ['run', 'build:console'], { stdio: 'ignore' });
}
