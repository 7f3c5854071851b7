import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const NODE24_PREFIX = '.deputy/node24';

/** The Node binaries to run the matrix on: this one, and Node 24 from the npm package `node@24` when asked. */
export function nodeBinaries(withNode24: boolean): { version: string; path: string }[] {
  const binaries = [{ version: process.version, path: process.execPath }];
  if (!withNode24) return binaries;
  const path = resolve(NODE24_PREFIX, 'node_modules/.bin/node');
  if (!existsSync(path)) {
    console.log(`installing node@24 from the npm registry into ${NODE24_PREFIX} (once)...`);
    const install = spawnSync('npm', ['install', '--prefix', NODE24_PREFIX, '--no-save', '--no-audit', '--no-fund', 'node@24'], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error('could not install node@24; run without --node24');
  }
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  return version === process.version ? binaries : [...binaries, { version, path }];
}
