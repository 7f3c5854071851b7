import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// The repository's own files: what is generated or installed (node_modules, dist, reports,
// .git, .deputy) is not the repository's to check.

const SKIPPED = new Set(['node_modules', 'dist', 'reports', '.git', '.deputy']);

/** Every file under `root` whose name matches `pattern`, relative to `root`. */
export function repoFiles(root: string, pattern: RegExp, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return repoFiles(root, pattern, path);
    return pattern.test(entry.name) ? [relative(root, path)] : [];
  });
}
