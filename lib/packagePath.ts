import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Deputy's package.json: the repository when run from the sources
 * (lib/packagePath.ts), the installed package when run compiled (dist/lib/packagePath.js).
 * Default configuration, schemas, demo data and console assets resolve from here, never from
 * the working directory, so `npx deputy` works from any folder.
 */
function findPackageRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${from}`);
  }
}

const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside Deputy's package (`packagePath('router', 'router.yaml')`). */
export function packagePath(...segments: string[]): string {
  return join(root, ...segments);
}
